import { describe, expect, it } from "vitest";
import { batchScorer, MicroBatcher } from "./micro-batcher";
import type { Scorer } from "./scorer";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("MicroBatcher", () => {
  it("merges concurrent submissions into one run and returns results in order", async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, string>(async (items) => {
      calls.push(items);
      return items.map((n) => `#${n}`);
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)));
    expect(results).toEqual(["#1", "#2", "#3", "#4", "#5"]);
    expect(calls).toEqual([[1, 2, 3, 4, 5]]);
  });

  it("runs a full batch at once and splits at maxBatch", async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        calls.push(items);
        return items.map((n) => n * 10);
      },
      { maxBatch: 2, maxWaitMs: 1000 },
    );
    const started = Date.now();
    const results = await Promise.all([1, 2, 3, 4].map((n) => batcher.submit(n)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(calls).toEqual([[1, 2], [3, 4]]);
    expect(Date.now() - started).toBeLessThan(500); // full batches do not wait for the timer
  });

  it("counts item sizes towards maxBatch; an oversized item runs alone", async () => {
    const calls: string[][] = [];
    const batcher = new MicroBatcher<string, number>(
      async (items) => {
        calls.push(items);
        return items.map((s) => s.length);
      },
      { maxBatch: 4, sizeOf: (s) => s.length, maxWaitMs: 5 },
    );
    const results = await Promise.all(["ab", "c", "defgh", "i"].map((s) => batcher.submit(s)));
    expect(results).toEqual([2, 1, 5, 1]);
    expect(calls).toEqual([["ab", "c"], ["defgh"], ["i"]]);
  });

  it("keeps one run in flight and merges everything that queued meanwhile", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      calls.push(items);
      await sleep(20);
      inFlight--;
      return items.map((n) => -n);
    });
    const first = batcher.submit(0);
    await sleep(5); // the first batch is running now
    const rest = [1, 2, 3].map((n) => batcher.submit(n));
    expect(await Promise.all([first, ...rest])).toEqual([-0, -1, -2, -3]);
    expect(maxInFlight).toBe(1);
    expect(calls).toEqual([[0], [1, 2, 3]]);
  });

  it("rejects every waiter of a failed batch and keeps serving later ones", async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>(async (items) => {
      if (fail) throw new Error("model crashed");
      return items;
    });
    const settled = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected", "rejected"]);
    for (const s of settled) expect((s as PromiseRejectedResult).reason).toEqual(new Error("model crashed"));
    fail = false;
    expect(await batcher.submit(7)).toBe(7);
  });

  it("rejects when run returns the wrong number of outputs", async () => {
    const batcher = new MicroBatcher<number, number>(async () => [1]);
    const settled = await Promise.allSettled([1, 2].map((n) => batcher.submit(n)));
    expect(settled.every((s) => s.status === "rejected")).toBe(true);
    expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/1 outputs for 2 items/);
  });
});

describe("batchScorer", () => {
  function fakeScorer() {
    const calls: { query: string; documents: string[]; instruction?: string }[] = [];
    const scorer: Scorer = {
      kind: "embedding",
      modelId: "fake",
      async score(query, documents, instruction) {
        calls.push({ query, documents, instruction });
        if (query === "boom") throw new Error("scorer failed");
        return documents.map((d) => d.length + (instruction ? 100 : 0));
      },
    };
    return { scorer, calls };
  }

  it("scores requests that share a query in one call and splits the scores back", async () => {
    const { scorer, calls } = fakeScorer();
    const batched = batchScorer(scorer);
    expect(batched.kind).toBe("embedding");
    expect(batched.modelId).toBe("fake");
    const [a, b, c, d] = await Promise.all([
      batched.score("q", ["a", "bb"]),
      batched.score("other", ["ccc"]),
      batched.score("q", ["dddd"]),
      batched.score("q", ["e"], "be brief"),
    ]);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([3]);
    expect(c).toEqual([4]);
    expect(d).toEqual([101]);
    expect(calls).toEqual([
      { query: "q", documents: ["a", "bb", "dddd"], instruction: undefined },
      { query: "other", documents: ["ccc"], instruction: undefined },
      { query: "q", documents: ["e"], instruction: "be brief" },
    ]);
  });

  it("fails only the requests of the query whose call failed", async () => {
    const { scorer } = fakeScorer();
    const batched = batchScorer(scorer);
    const settled = await Promise.allSettled([
      batched.score("boom", ["a"]),
      batched.score("fine", ["ab"]),
      batched.score("boom", ["abc"]),
    ]);
    expect(settled[0]).toMatchObject({ status: "rejected", reason: new Error("scorer failed") });
    expect(settled[1]).toEqual({ status: "fulfilled", value: [2] });
    expect(settled[2]).toMatchObject({ status: "rejected", reason: new Error("scorer failed") });
  });

  it("returns [] for no documents without calling the model", async () => {
    const { scorer, calls } = fakeScorer();
    expect(await batchScorer(scorer).score("q", [])).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe("batchScorer without merging", () => {
  it("queues requests but scores each on its own", async () => {
    const calls: string[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const scorer: Scorer = {
      kind: "cross-encoder",
      modelId: "fake",
      async score(_query, documents) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        calls.push(documents);
        await sleep(5);
        inFlight--;
        return documents.map((d) => d.length);
      },
    };
    const batched = batchScorer(scorer, { merge: false });
    const results = await Promise.all([["a"], ["bb"], ["ccc", "d"]].map((docs) => batched.score("q", docs)));
    expect(results).toEqual([[1], [2], [3, 1]]);
    expect(calls).toEqual([["a"], ["bb"], ["ccc", "d"]]);
    expect(maxInFlight).toBe(1);
  });
});
