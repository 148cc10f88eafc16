import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ResilientReranker, type CircuitState, type ResilientRerankerOptions } from "./resilient-reranker.server";
import { CircuitOpenError, RerankerError, type RerankDocument, type Reranker } from "./reranker";
import { startTestRerankServer, type TestRerankServer } from "./test-rerank-server";
import { VllmReranker } from "./vllm.server";

let server: TestRerankServer;

beforeAll(async () => {
  server = await startTestRerankServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  server.scoreWith((_q, doc) => (doc.startsWith("alpha") ? 0.25 : 0.75));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const DOCS: RerankDocument[] = [
  { id: "a", text: "alpha passage" },
  { id: "b", text: "beta passage" },
];

/** A manual clock for the circuit. */
function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

function resilient(options: ResilientRerankerOptions = {}) {
  const inner = new VllmReranker({ url: server.url, model: "BAAI/bge-reranker-v2-m3", timeoutMs: 5_000 });
  return new ResilientReranker(inner, { timeoutMs: 1_000, failureThreshold: 3, cooldownMs: 30_000, ...options });
}

/** An in-process reranker whose behaviour each test sets. */
function fakeReranker(score: Reranker["score"]): Reranker & { calls: number } {
  const fake = {
    name: "cross-encoder" as const,
    model: "fake-model",
    calls: 0,
    score: (...args: Parameters<Reranker["score"]>) => {
      fake.calls += 1;
      return score(...args);
    },
    health: async () => ({ ok: true }),
  };
  return fake;
}

describe("ResilientReranker circuit breaker (real HTTP server)", () => {
  it("passes scores through and reports ms", async () => {
    const reranker = resilient();
    expect(reranker.name).toBe("vllm");
    expect(reranker.model).toBe("BAAI/bge-reranker-v2-m3");
    const outcome = await reranker.scoreOrFallback("q", undefined, DOCS);
    expect(outcome).toEqual({ status: "ok", scores: [0.25, 0.75], ms: expect.any(Number) });
    expect(outcome.ms).toBeGreaterThan(0);
    expect(reranker.state).toBe("closed");
  });

  it("opens after failureThreshold consecutive failures, then fails fast without calling the server", async () => {
    const c = clock();
    const changes: [CircuitState, CircuitState][] = [];
    const reranker = resilient({ now: c.now, onStateChange: (s, p) => changes.push([s, p]) });
    server.setMode("error503");

    for (let i = 1; i <= 3; i++) {
      const outcome = await reranker.scoreOrFallback("q", undefined, DOCS);
      expect(outcome).toMatchObject({ status: "fallback", reason: "unavailable" });
      expect(outcome.status === "fallback" && outcome.message).toMatch(/HTTP 503/);
      expect(reranker.state).toBe(i < 3 ? "closed" : "open");
    }
    expect(server.rerankRequests()).toHaveLength(3);
    expect(changes).toEqual([["open", "closed"]]);

    for (let i = 0; i < 5; i++) {
      const outcome = await reranker.scoreOrFallback("q", undefined, DOCS);
      expect(outcome).toMatchObject({ status: "fallback", reason: "circuit_open" });
      expect(outcome.status === "fallback" && outcome.message).toMatch(/retrying in 30 s/);
      expect(outcome.ms).toBeLessThan(50);
    }
    await expect(reranker.score("q", undefined, DOCS)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(server.rerankRequests()).toHaveLength(3);
  });

  it("lets one trial through after the cooldown: failure re-opens, success closes", async () => {
    const c = clock();
    const changes: [CircuitState, CircuitState][] = [];
    const reranker = resilient({ now: c.now, failureThreshold: 2, cooldownMs: 10_000, onStateChange: (s, p) => changes.push([s, p]) });
    server.setMode("error500");
    await reranker.scoreOrFallback("q", undefined, DOCS);
    await reranker.scoreOrFallback("q", undefined, DOCS);
    expect(reranker.state).toBe("open");
    expect(server.rerankRequests()).toHaveLength(2);

    c.advance(9_999);
    expect(reranker.state).toBe("open");
    expect(await reranker.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ reason: "circuit_open" });
    expect(server.rerankRequests()).toHaveLength(2);

    // cooldown over: one trial, which fails -> open again, cooldown restarts
    c.advance(1);
    expect(reranker.state).toBe("half-open");
    expect(await reranker.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ status: "fallback", reason: "unavailable" });
    expect(server.rerankRequests()).toHaveLength(3);
    expect(reranker.state).toBe("open");
    c.advance(5_000);
    expect(await reranker.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ reason: "circuit_open" });
    expect(server.rerankRequests()).toHaveLength(3);

    // next trial succeeds -> closed, calls go through again
    c.advance(5_000);
    server.setMode("ok");
    expect(await reranker.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ status: "ok", scores: [0.25, 0.75] });
    expect(reranker.state).toBe("closed");
    expect(reranker.consecutiveFailures).toBe(0);
    expect(await reranker.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ status: "ok" });
    expect(server.rerankRequests()).toHaveLength(5);

    expect(changes).toEqual([
      ["open", "closed"],
      ["half-open", "open"],
      ["open", "half-open"],
      ["half-open", "open"],
      ["closed", "half-open"],
    ]);
  });

  it("lets only one trial call through while half-open", async () => {
    const c = clock();
    const reranker = resilient({ now: c.now, failureThreshold: 1, cooldownMs: 1_000, timeoutMs: 2_000 });
    server.failNext("error503");
    await reranker.scoreOrFallback("q", undefined, DOCS);
    expect(reranker.state).toBe("open");

    c.advance(1_000);
    server.failNext("slow", { delayMs: 200 });
    const trial = reranker.scoreOrFallback("q", undefined, DOCS);
    expect(reranker.state).toBe("half-open");
    const concurrent = await reranker.scoreOrFallback("q", undefined, DOCS);
    expect(concurrent).toMatchObject({ status: "fallback", reason: "circuit_open" });
    expect(await trial).toMatchObject({ status: "ok" });
    expect(reranker.state).toBe("closed");
    expect(server.rerankRequests()).toHaveLength(2);
  });

  it("a success resets the count of consecutive failures", async () => {
    const reranker = resilient({ failureThreshold: 3 });
    server.failNext("error500", { times: 2 });
    await reranker.scoreOrFallback("q", undefined, DOCS);
    await reranker.scoreOrFallback("q", undefined, DOCS);
    expect(reranker.consecutiveFailures).toBe(2);
    expect(await reranker.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ status: "ok" });
    expect(reranker.consecutiveFailures).toBe(0);
    server.failNext("invalid-json", { times: 2 });
    expect(await reranker.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ reason: "bad_response" });
    expect(await reranker.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ reason: "bad_response" });
    expect(reranker.state).toBe("closed");
  });

  it("applies its own timeout to a slow server and counts it as a failure", async () => {
    const reranker = resilient({ timeoutMs: 250, failureThreshold: 2 });
    server.setMode("slow", { delayMs: 5_000 });
    const started = performance.now();
    const outcome = await reranker.scoreOrFallback("q", undefined, DOCS);
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ status: "fallback", reason: "timeout" });
    expect(outcome.status === "fallback" && outcome.message).toMatch(/250 ms/);
    expect(outcome.ms).toBeGreaterThanOrEqual(240);
    expect(elapsed).toBeLessThan(250 + 400);
    await reranker.scoreOrFallback("q", undefined, DOCS);
    expect(reranker.state).toBe("open");
  });

  it("reports health of the inner reranker and the circuit, never throwing", async () => {
    const c = clock();
    const reranker = resilient({ now: c.now, failureThreshold: 1 });
    expect(await reranker.health()).toEqual({ ok: true });
    server.failNext("error503");
    await reranker.scoreOrFallback("q", undefined, DOCS);
    expect(await reranker.health()).toEqual({ ok: true, detail: "circuit open" });
    server.setMode("reset");
    const down = await reranker.health();
    expect(down.ok).toBe(false);
    expect(down.detail).toMatch(/unreachable.*circuit open/);
  });
});

describe("ResilientReranker with in-process rerankers", () => {
  it("times out an in-process reranker that never answers, and aborts its signal", async () => {
    let seen: AbortSignal | undefined;
    const inner = fakeReranker((_q, _i, _d, options) => {
      seen = options?.signal;
      return new Promise(() => {});
    });
    const reranker = new ResilientReranker(inner, { timeoutMs: 150 });
    const outcome = await reranker.scoreOrFallback("q", undefined, DOCS);
    expect(outcome).toMatchObject({ status: "fallback", reason: "timeout" });
    expect(outcome.ms).toBeGreaterThanOrEqual(140);
    expect(outcome.ms).toBeLessThan(150 + 300);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(RerankerError);
  });

  it("reports programming errors as unavailable, logged with console.error, and never throws", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const asyncBug = new ResilientReranker(
      fakeReranker(async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'dims')");
      }),
    );
    expect(await asyncBug.scoreOrFallback("q", undefined, DOCS)).toMatchObject({
      status: "fallback",
      reason: "unavailable",
      message: expect.stringContaining("reading 'dims'"),
      ms: expect.any(Number),
    });
    const syncBug = new ResilientReranker(
      fakeReranker(() => {
        throw new RangeError("tensor shape mismatch");
      }),
    );
    expect(await syncBug.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ status: "fallback", reason: "unavailable" });
    const throwsString = new ResilientReranker(fakeReranker(() => Promise.reject("boom")));
    expect(await throwsString.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ reason: "unavailable", message: expect.stringContaining("boom") });
    expect(log).toHaveBeenCalledTimes(3);
    expect(String(log.mock.calls[0]![0])).toMatch(/cross-encoder/);
  });

  it("rejects wrong-length or non-finite scores as bad_response", async () => {
    const short = new ResilientReranker(fakeReranker(async () => [0.5]));
    expect(await short.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ reason: "bad_response", message: expect.stringMatching(/1 scores for 2/) });
    const nan = new ResilientReranker(fakeReranker(async () => [0.5, Number.NaN]));
    expect(await nan.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ reason: "bad_response" });
    const notArray = new ResilientReranker(fakeReranker(async () => null as unknown as number[]));
    expect(await notArray.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ reason: "bad_response" });
  });

  it("a cancelled call is reported as aborted and does not count as a failure", async () => {
    const inner = fakeReranker(
      (_q, _i, _d, options) =>
        new Promise((_resolve, reject) => {
          options?.signal?.addEventListener("abort", () => reject(new RerankerError("aborted", "cancelled")));
        }),
    );
    const reranker = new ResilientReranker(inner, { timeoutMs: 5_000, failureThreshold: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const outcome = await reranker.scoreOrFallback("q", undefined, DOCS, { signal: controller.signal });
    expect(outcome).toMatchObject({ status: "fallback", reason: "aborted" });
    expect(outcome.ms).toBeLessThan(1_000);
    expect(reranker.state).toBe("closed");
    expect(reranker.consecutiveFailures).toBe(0);

    const calls = inner.calls;
    expect(await reranker.scoreOrFallback("q", undefined, DOCS, { signal: AbortSignal.abort() })).toMatchObject({ reason: "aborted" });
    expect(inner.calls).toBe(calls);
  });

  it("returns no scores for no documents without calling the inner reranker", async () => {
    const inner = fakeReranker(async () => []);
    const reranker = new ResilientReranker(inner);
    expect(await reranker.scoreOrFallback("q", undefined, [])).toMatchObject({ status: "ok", scores: [] });
    expect(inner.calls).toBe(0);
  });

  it("never throws even when onStateChange throws", async () => {
    const reranker = new ResilientReranker(
      fakeReranker(async () => {
        throw new RerankerError("unavailable", "down");
      }),
      {
        failureThreshold: 1,
        onStateChange: () => {
          throw new Error("metrics exploded");
        },
      },
    );
    expect(await reranker.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ reason: "unavailable" });
    expect(reranker.state).toBe("open");
    expect(await reranker.scoreOrFallback("q", undefined, DOCS)).toMatchObject({ reason: "circuit_open" });
  });

  it("validates its options", () => {
    const inner = fakeReranker(async () => []);
    expect(() => new ResilientReranker(inner, { timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new ResilientReranker(inner, { cooldownMs: -1 })).toThrow(/cooldownMs/);
    const defaults = new ResilientReranker(inner);
    expect([defaults.timeoutMs, defaults.failureThreshold, defaults.cooldownMs]).toEqual([800, 3, 30_000]);
  });
});
