import { describe, expect, it } from "vitest";
import { rowProducts } from "./row-products";
import { dot } from "./sentence-encoder";

function randomMatrix(rows: number, dims: number, seed: number): Float32Array {
  let x = seed;
  return Float32Array.from({ length: rows * dims }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 30 - 1;
  });
}

describe("rowProducts", () => {
  it("gives the dot product of a vector with every row, as a JavaScript loop does", async () => {
    for (const [rows, dims] of [[1, 3], [777, 384], [50, 512]] as const) {
      const matrix = randomMatrix(rows, dims, rows);
      const vector = randomMatrix(1, dims, dims);
      const products = await rowProducts(vector, matrix);
      expect(products).toHaveLength(rows);
      for (let r = 0; r < rows; r++) expect(products[r]).toBeCloseTo(dot(vector, matrix, r * dims), 4);
    }
  });

  it("answers many queries at once against one matrix, each its own", async () => {
    const matrix = Float32Array.from([1, 0, 0, 1, 1, 1]);
    const [a, b] = await Promise.all([rowProducts(Float32Array.from([2, 0]), matrix), rowProducts(Float32Array.from([0, 3]), matrix)]);
    expect([...a!]).toEqual([2, 0, 2]);
    expect([...b!]).toEqual([0, 3, 3]);
  });

  it("has nothing to score for an empty matrix, and refuses a matrix whose rows do not fit the vector", async () => {
    expect(await rowProducts(new Float32Array(4), new Float32Array(0))).toHaveLength(0);
    await expect(rowProducts(new Float32Array(4), new Float32Array(7))).rejects.toThrow(/not made of rows of 4/);
    await expect(rowProducts(new Float32Array(3), new Float32Array(8))).rejects.toThrow(/not made of rows of 3/);
  });
});
