import { describe, expect, it } from "vitest";
import { ndcg, percentile, recall, reciprocalRank, scoreQuery } from "./metrics";

const judgments = new Map([
  ["primary", 2],
  ["related", 1],
]);

describe("metrics", () => {
  it("MRR counts the first relevant result within the cut-off", () => {
    expect(reciprocalRank(["primary", "x"], judgments)).toBe(1);
    expect(reciprocalRank(["x", "related", "primary"], judgments)).toBe(0.5);
    expect(reciprocalRank(["a", "b", "c"], judgments)).toBe(0);
    expect(reciprocalRank([...Array(10).fill("x"), "primary"], judgments, 10)).toBe(0);
  });

  it("nDCG is 1 for the ideal order and uses graded gains", () => {
    expect(ndcg(["primary", "related"], judgments)).toBeCloseTo(1);
    const swapped = ndcg(["related", "primary"], judgments);
    const idcg = 3 + 1 / Math.log2(3);
    expect(swapped).toBeCloseTo((1 + 3 / Math.log2(3)) / idcg);
    expect(ndcg(["x"], judgments)).toBe(0);
  });

  it("recall is the share of relevant articles in the top k", () => {
    expect(recall(["primary", "x", "related"], judgments, 2)).toBe(0.5);
    expect(recall(["primary", "x", "related"], judgments, 5)).toBe(1);
  });

  it("hit@1_primary needs the primary article first", () => {
    expect(scoreQuery(["related", "primary"], judgments)["hit@1_primary"]).toBe(0);
    expect(scoreQuery(["primary"], judgments)["hit@1_primary"]).toBe(1);
  });

  it("percentile uses the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([], 95)).toBe(0);
  });
});
