import { describe, expect, it } from "vitest";
import { RowProducts } from "./row-products";
import { dot } from "./sentence-encoder";

function randomMatrix(rows: number, dims: number, seed: number): Float32Array {
  let x = seed;
  return Float32Array.from({ length: rows * dims }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 30 - 1;
  });
}

describe("RowProducts", () => {
  it("gives the dot product of a vector with every row, as a JavaScript loop does", async () => {
    for (const [rows, dims] of [[1, 3], [777, 384], [50, 512]] as const) {
      const matrix = randomMatrix(rows, dims, rows);
      const vector = randomMatrix(1, dims, dims);
      const products = await (await RowProducts.create(matrix, dims)).of(vector);
      expect(products).toHaveLength(rows);
      for (let r = 0; r < rows; r++) expect(products[r]).toBeCloseTo(dot(vector, matrix, r * dims), 4);
    }
  });

  it("answers many queries at once against one matrix, each its own", async () => {
    const products = await RowProducts.create(Float32Array.from([1, 0, 0, 1, 1, 1]), 2);
    const [a, b] = await Promise.all([products.of(Float32Array.from([2, 0])), products.of(Float32Array.from([0, 3]))]);
    expect([...a!]).toEqual([2, 0, 2]);
    expect([...b!]).toEqual([0, 3, 3]);
  });

  it("has nothing to score for an empty matrix, and refuses a matrix or vector of the wrong size", async () => {
    expect(await (await RowProducts.create(new Float32Array(0), 4)).of(new Float32Array(4))).toHaveLength(0);
    await expect(RowProducts.create(new Float32Array(7), 4)).rejects.toThrow(/not made of rows of 4/);
    await expect((await RowProducts.create(new Float32Array(8), 4)).of(new Float32Array(3))).rejects.toThrow(/vector of 3 numbers against rows of 4/);
  });
});
