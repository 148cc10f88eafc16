import { describe, expect, it } from "vitest";
import { fuse, type FusionWeights } from "./fusion";

const weights: FusionWeights = { keyword: 0.1, semantic: 1, phrasing: 0.4, rerank: 1, instruction: 0.2, requestInstruction: 2 };
const best = { kind: "passage", position: 0 };

describe("fuse", () => {
  it("weights each signal, explains every term, and sums contributions to the score", () => {
    const [top, second] = fuse(
      [
        { slug: "a", keyword: { rank: 1, score: 10 }, semantic: { score: 0.5, best } },
        { slug: "b", keyword: { rank: 2, score: 5 }, semantic: { score: 0.7, best } },
      ],
      weights,
    );
    expect(top?.slug).toBe("b");
    expect(top?.explain.keyword).toEqual({ score: 5, value: 0.5, weight: 0.1, contribution: 0.05, rank: 2 });
    expect(top?.explain.semantic).toMatchObject({ score: 0.7, value: 0.7, contribution: 0.7 });
    expect(top?.score).toBeCloseTo(0.75);
    expect(second?.score).toBeCloseTo(0.6);
    expect(top?.explain.rerank).toBeUndefined();
    expect(top?.explain.instruction).toBeUndefined();
  });

  it("scores a missing signal as zero and keeps candidates found by one retriever only", () => {
    const results = fuse(
      [
        { slug: "keyword-only", keyword: { rank: 1, score: 4 } },
        { slug: "semantic-only", semantic: { score: 0.6, best } },
      ],
      weights,
    );
    expect(results.map((r) => r.slug)).toEqual(["semantic-only", "keyword-only"]);
    expect(results[0]?.explain.keyword).toMatchObject({ rank: null, value: 0, contribution: 0 });
    expect(results[1]?.explain.semantic).toMatchObject({ score: 0, contribution: 0 });
  });

  it("clamps reranker scores to 0..1 and rescales instruction similarity over the candidates", () => {
    const results = fuse(
      [
        { slug: "a", rerank: { score: 3 }, instruction: { score: 0.2 } },
        { slug: "b", rerank: { score: -1 }, instruction: { score: 0.4 } },
        { slug: "c", rerank: { score: 0.5 }, instruction: { score: 0.3 } },
      ],
      weights,
    );
    const bySlug = Object.fromEntries(results.map((r) => [r.slug, r.explain]));
    expect(bySlug.a?.rerank?.value).toBe(1);
    expect(bySlug.b?.rerank?.value).toBe(0);
    expect(bySlug.a?.instruction?.value).toBe(0);
    expect(bySlug.b?.instruction?.value).toBe(1);
    expect(bySlug.c?.instruction?.value).toBeCloseTo(0.5);
  });

  it("breaks ties by keyword rank, then slug", () => {
    const results = fuse(
      [
        { slug: "z", semantic: { score: 0.5, best } },
        { slug: "y", keyword: { rank: 3, score: 0 }, semantic: { score: 0.5, best } },
        { slug: "x", semantic: { score: 0.5, best } },
      ],
      { ...weights, keyword: 0 },
    );
    expect(results.map((r) => r.slug)).toEqual(["y", "x", "z"]);
  });
});

describe("the caller's instruction", () => {
  it("is a term of its own, rescaled over the candidates and weighted apart from the preset's", () => {
    const results = fuse(
      [
        { slug: "clear", semantic: { score: 0.6, best }, instruction: { score: 0.5 }, requestInstruction: { score: 0.2 } },
        { slug: "asked", semantic: { score: 0.4, best }, instruction: { score: 0.4 }, requestInstruction: { score: 0.6 } },
      ],
      weights,
    );
    expect(results[0]?.slug).toBe("asked");
    expect(results[0]?.explain.request_instruction).toMatchObject({ value: 1, weight: 2, contribution: 2 });
    expect(results[0]?.explain.instruction).toMatchObject({ value: 0, weight: 0.2 });
    expect(results[1]?.explain.request_instruction?.contribution).toBe(0);
  });
});
