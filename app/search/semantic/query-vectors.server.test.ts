import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDatabase, type Db } from "~/db/db.server";
import { CachedEmbedder, type Embedder } from "./embedder.server";
import { QueryVectorStore } from "./query-vectors.server";

const dirs: string[] = [];
const opened: Db[] = [];
/** Two connections to one file: two server processes. */
function twoConnections(busyTimeoutMs = 5000): [Db, Db] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-query-vectors-"));
  dirs.push(dir);
  const file = path.join(dir, "app.db");
  const pair: [Db, Db] = [openDatabase(file, busyTimeoutMs), openDatabase(file, busyTimeoutMs)];
  opened.push(...pair);
  return pair;
}
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

/** Counts what reaches the model; a text's vector is (its length, its first char code). */
function countingEmbedder(modelId = "counting"): Embedder & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    modelId,
    locales: ["en"],
    calls,
    async embed(texts) {
      calls.push([...texts]);
      return texts.map((t) => Float32Array.of(t.length, t.charCodeAt(0)));
    },
  };
}

describe("query vectors shared through the database", () => {
  it("a query encoded by one process is read by another, not encoded again", async () => {
    const [first, second] = twoConnections();
    const modelA = countingEmbedder();
    const modelB = countingEmbedder();
    const a = new CachedEmbedder(modelA, { shared: new QueryVectorStore(first) });
    const b = new CachedEmbedder(modelB, { shared: new QueryVectorStore(second) });

    const fromA = await a.embedOne("tracking not updated", "query");
    await vi.waitFor(() => expect(new QueryVectorStore(second).count()).toBe(1));
    const fromB = await b.embedOne("tracking not updated", "query");
    expect(modelA.calls).toEqual([["tracking not updated"]]);
    expect(modelB.calls).toEqual([]);
    expect([...fromB]).toEqual([...fromA]);

    // A text the other process has not seen is still encoded, once, and shared in turn.
    await b.embed(["refund", "tracking not updated", "refund"], "query");
    expect(modelB.calls).toEqual([["refund"]]);
  });

  it("stores no query text, and keeps models and roles apart", async () => {
    const [first, second] = twoConnections();
    const small = countingEmbedder("small-model");
    await new CachedEmbedder(small, { shared: new QueryVectorStore(first) }).embedOne("my card was charged twice", "query");
    const store = new QueryVectorStore(second);
    await vi.waitFor(() => expect(store.count()).toBe(1));
    const rows = second.prepare("SELECT text_hash, model_id FROM query_vectors").all() as { text_hash: string; model_id: string }[];
    expect(rows[0]!.model_id).toBe("small-model");
    expect(rows[0]!.text_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(second.prepare("SELECT * FROM query_vectors").raw().all())).not.toContain("charged");

    expect(store.get("query", "my card was charged twice", "small-model")).toEqual(Float32Array.of(25, 109));
    expect(store.get("query", "my card was charged twice", "other-model")).toBeUndefined();
    expect(store.get("passage", "my card was charged twice", "small-model")).toBeUndefined();
    // Passages are not kept here: the semantic index stores article vectors itself.
    const other = countingEmbedder("small-model");
    await new CachedEmbedder(other, { shared: store }).embedOne("my card was charged twice", "passage");
    expect(other.calls).toHaveLength(1);
    expect(store.count()).toBe(1);
  });

  it("keeps no vector of a text with personal data in it: each process encodes it itself", async () => {
    const [first, second] = twoConnections();
    const store = new QueryVectorStore(first);
    const model = countingEmbedder();
    const cached = new CachedEmbedder(model, { shared: store });
    await cached.embed(["refund to jane.doe@example.com", "call me on +44 20 7946 0958", "refund to my card"], "query");
    await vi.waitFor(() => expect(store.count()).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.count()).toBe(1);
    const other = countingEmbedder();
    await new CachedEmbedder(other, { shared: new QueryVectorStore(second) }).embed(["refund to jane.doe@example.com", "refund to my card"], "query");
    expect(other.calls).toEqual([["refund to jane.doe@example.com"]]);
  });

  it("a vector that cannot be stored (the database locked past its timeout) costs no search", async () => {
    const [first, second] = twoConnections(50);
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const store = new QueryVectorStore(first);
    second.exec("BEGIN IMMEDIATE");
    try {
      const model = countingEmbedder();
      const vector = await new CachedEmbedder(model, { shared: store }).embedOne("where is my parcel", "query");
      expect([...vector]).toEqual([18, 119]);
      await store.put("query", "where is my parcel", model.modelId, vector); // settles, does not throw
      expect(error).toHaveBeenCalledWith(expect.stringMatching(/^Query vector not stored \(1 so far\): database is locked/));
    } finally {
      second.exec("ROLLBACK");
    }
    expect(store.count()).toBe(0);
    await store.put("query", "where is my parcel", "counting", Float32Array.of(1, 2));
    expect(store.count()).toBe(1);
  });

  it("keeps about the newest rows past its limit", async () => {
    const [db] = twoConnections();
    const store = new QueryVectorStore(db, 3);
    for (let i = 0; i < 6; i++) {
      await store.put("query", `query ${i}`, "m", Float32Array.of(i));
      db.prepare("UPDATE query_vectors SET created_at = ? WHERE created_at > ?").run(`2026-01-0${i + 1}T00:00:00.000Z`, "2026-02");
    }
    expect(store.prune()).toBe(3);
    expect(store.get("query", "query 0", "m")).toBeUndefined();
    expect(store.get("query", "query 2", "m")).toBeUndefined();
    expect([...store.get("query", "query 5", "m")!]).toEqual([5]);
    expect(store.prune()).toBe(0);
  });
});
