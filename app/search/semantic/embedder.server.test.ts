import { describe, expect, it } from "vitest";
import { CachedEmbedder, type Embedder } from "./embedder.server";

/** Counts what reaches the model; vectors encode the text length so results can be checked. */
function countingEmbedder(): Embedder & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    modelId: "counting",
    locales: ["en"],
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
    expect((await cached.embedOne("refund", "passage"))[0]).toBe(6);
    expect(inner.calls).toHaveLength(1);
  });

  it("forgets the least recently used texts beyond its size", async () => {
    const inner = countingEmbedder();
    const cached = new CachedEmbedder(inner, { max: 2 });
    await cached.embed(["a", "bb", "ccc"]);
    await cached.embedOne("a", "passage");
    expect(inner.calls).toEqual([["a", "bb", "ccc"], ["a"]]);
  });

  it("keeps query and passage vectors of one text apart (asymmetric models prefix them differently)", async () => {
    const roles: string[] = [];
    const inner: Embedder = {
      modelId: "roles",
      locales: ["en"],
      async embed(texts, role) {
        roles.push(role ?? "passage");
        return texts.map(() => Float32Array.of(role === "query" ? 1 : 2));
      },
    };
    const cached = new CachedEmbedder(inner);
    expect((await cached.embedOne("refund", "query"))[0]).toBe(1);
    expect((await cached.embed(["refund"], "passage"))[0]![0]).toBe(2);
    expect((await cached.embedOne("refund"))[0]).toBe(1);
    expect(roles).toEqual(["query", "passage"]);
  });

  it("embeds background texts on the encoder's own thread when it has one, and remembers none", async () => {
    const inner = countingEmbedder();
    const sent: string[][] = [];
    const background = { async embed(texts: readonly string[]) { sent.push([...texts]); return texts.map(() => Float32Array.of(-1)); }, async close() {} };
    const cached = new CachedEmbedder(inner, { background });
    const vectors = await cached.embedInBackground(["doc one", "doc two"]);
    expect(vectors.map((v) => v[0])).toEqual([-1, -1]);
    expect(sent).toEqual([["doc one", "doc two"]]);
    expect(inner.calls).toEqual([]);
    await cached.embed(["doc one"]);
    expect(inner.calls).toEqual([["doc one"]]);
  });
});
