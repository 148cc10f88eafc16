import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "~/db/db.server";
import { openVectorCache, VectorStore } from "./vector-store.server";

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-vectors-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const vector = (...values: number[]) => new Float32Array(values);

describe("VectorStore with a shared cache file", () => {
  it("takes missing vectors from the cache, copies them in, and writes new ones to both", () => {
    const dir = tempDir();
    const cache = openVectorCache(path.join(dir, "cache.db"));
    const first = openDatabase(path.join(dir, "first.db"));
    const second = openDatabase(path.join(dir, "second.db"));
    try {
      new VectorStore(first, cache.store).putMany([["h1", vector(1, 0)], ["h2", vector(0, 1)]], "model-a");
      const store = new VectorStore(second, cache.store);
      const found = store.getMany(["h1", "h2", "h3"], "model-a");
      expect([...found.keys()].sort()).toEqual(["h1", "h2"]);
      expect([...found.get("h2")!]).toEqual([0, 1]);
      // Copied into the second database: found without the cache too.
      expect(new VectorStore(second).getMany(["h1", "h2"], "model-a").size).toBe(2);
      // Keyed by model id: another model's vectors are not shared.
      expect(store.getMany(["h1"], "model-b").size).toBe(0);
    } finally {
      cache.close();
      first.close();
      second.close();
    }
  });

  it("reopens a cache file that already exists", () => {
    const file = path.join(tempDir(), "cache.db");
    const a = openVectorCache(file);
    a.store.putMany([["h", vector(0.5)]], "m");
    a.close();
    const b = openVectorCache(file);
    expect(b.store.count("m")).toBe(1);
    b.close();
  });
});
