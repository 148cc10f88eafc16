import { describe, expect, it } from "vitest";
import { BOOST_SCALE, fuse, presetSteering, STEERING_FULL_INFORMATION, type FusionWeights } from "./fusion";

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

describe("preset terms", () => {
  const semanticOnly: FusionWeights = { keyword: 0, semantic: 1, phrasing: 0, rerank: 0, instruction: 0.2, requestInstruction: 0 };
  const title = { kind: "title", position: 0 };

  it("steer a query that says little fully, and one that says more by the cube of how much less", () => {
    expect(presetSteering(0)).toBe(1);
    expect(presetSteering(STEERING_FULL_INFORMATION)).toBe(1);
    expect(presetSteering(2 * STEERING_FULL_INFORMATION)).toBeCloseTo(1 / 8);
    expect(presetSteering(10)).toBeLessThan(presetSteering(5));
  });

  it("add weight × BOOST_SCALE × steering to a result that fits the query, and explain it", () => {
    const candidates = [
      { slug: "shipping-guide", semantic: { score: 0.8, best: title } },
      { slug: "track-your-order", semantic: { score: 0.7, best: title }, boosts: [{ kind: "article" as const, value: "track-your-order", weight: 0.5 }] },
    ];
    const [first] = fuse(candidates, semanticOnly, 1);
    expect(first!.slug).toBe("track-your-order");
    expect(first!.explain.boosts).toMatchObject({ gated: false, steering: 1, contribution: 0.5 * BOOST_SCALE });
    expect(first!.score).toBeCloseTo(0.7 + 0.5 * BOOST_SCALE);

    // The same preset on a query that says a lot: an eighth of the boost, not enough to overturn the query.
    const [specific] = fuse(candidates, semanticOnly, presetSteering(2 * STEERING_FULL_INFORMATION));
    expect(specific!.slug).toBe("shipping-guide");
    const boosted = fuse(candidates, semanticOnly, 1 / 8).find((r) => r.slug === "track-your-order")!;
    expect(boosted.explain.boosts).toMatchObject({ gated: false, steering: 0.125, contribution: 0.0625 });
  });

  it("never lift an article that does not fit the query by the other terms", () => {
    const results = fuse(
      [
        { slug: "reset-your-password", semantic: { score: 0.9, best: title } },
        { slug: "track-your-order", semantic: { score: 0.2, best: title }, boosts: [{ kind: "article", value: "track-your-order", weight: 1 }] },
      ],
      semanticOnly,
      1,
    );
    const boosted = results.find((r) => r.slug === "track-your-order")!;
    expect(boosted.explain.boosts).toMatchObject({ gated: "score", contribution: 0 });
    expect(boosted.score).toBe(0.2);
    expect(results[0]!.slug).toBe("reset-your-password");
  });

  it("never lift an article that contains less of the query than the best-covered result that fits", () => {
    const results = fuse(
      [
        { slug: "delivery-times", semantic: { score: 0.8, best: title }, coverage: 1 },
        { slug: "track-your-order", semantic: { score: 0.75, best: title }, coverage: 0.4, boosts: [{ kind: "article", value: "track-your-order", weight: 1 }] },
        { slug: "delivery-delays", semantic: { score: 0.7, best: title }, coverage: 1, boosts: [{ kind: "article", value: "delivery-delays", weight: 0.2 }] },
      ],
      semanticOnly,
      1,
    );
    expect(results.map((r) => r.slug)).toEqual(["delivery-delays", "delivery-times", "track-your-order"]);
    expect(results[2]!.explain.boosts).toMatchObject({ gated: "coverage", contribution: 0 });
    expect(results[0]!.explain.boosts).toMatchObject({ gated: false, contribution: 0.2 });
  });

  it("treat the preset's instruction as a preset term: gated and steered, outside the query's own score", () => {
    const candidates = [
      { slug: "a", semantic: { score: 0.8, best: title }, instruction: { score: 0.1 } },
      { slug: "b", semantic: { score: 0.75, best: title }, instruction: { score: 0.5 } },
      { slug: "c", semantic: { score: 0.1, best: title }, instruction: { score: 0.9 } },
    ];
    const bySlug = (steering: number) => Object.fromEntries(fuse(candidates, semanticOnly, steering).map((r) => [r.slug, r]));
    const full = bySlug(1);
    expect(full.b!.explain.instruction).toMatchObject({ value: 0.5, weight: 0.2, steering: 1, gated: false, contribution: 0.1 });
    expect(full.b!.score).toBeCloseTo(0.85);
    expect(full.c!.explain.instruction).toMatchObject({ value: 1, gated: "score", contribution: 0 });
    expect(full.c!.score).toBeCloseTo(0.1);
    const half = bySlug(0.5);
    expect(half.b!.explain.instruction).toMatchObject({ steering: 0.5, contribution: 0.05 });
  });
});
