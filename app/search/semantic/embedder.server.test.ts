import { describe, expect, it } from "vitest";
import { CachedEmbedder, type Embedder } from "./embedder.server";

/** Counts what reaches the model; vectors encode the text length so results can be checked. */
function countingEmbedder(): Embedder & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    modelId: "counting",
    calls,
    async embed(texts) {
      calls.push([...texts]);
      return texts.map((t) => Float32Array.of(t.length));
    },
  };
}

describe("CachedEmbedder", () => {
  it("embeds each distinct text once and answers repeats from the cache, in order", async () => {
    const inner = countingEmbedder();
    const cached = new CachedEmbedder(inner);
    const first = await cached.embed(["where is my order", "refund", "where is my order"]);
    expect(inner.calls).toEqual([["where is my order", "refund"]]);
    expect(first.map((v) => v[0])).toEqual([17, 6, 17]);
    expect((await cached.embedOne("refund"))[0]).toBe(6);
    expect(inner.calls).toHaveLength(1);
  });

  it("forgets the least recently used texts beyond its size", async () => {
    const inner = countingEmbedder();
    const cached = new CachedEmbedder(inner, 2);
    await cached.embed(["a", "bb", "ccc"]);
    await cached.embedOne("a");
    expect(inner.calls).toEqual([["a", "bb", "ccc"], ["a"]]);
  });
});
