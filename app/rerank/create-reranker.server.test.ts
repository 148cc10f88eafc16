import { describe, expect, it } from "vitest";
import { parseEnv } from "~/config/env.server";
import { createReranker } from "./create-reranker.server";

describe("createReranker", () => {
  it("wraps a remote reranker in the timeout and circuit breaker that the environment sets", async () => {
    const reranker = await createReranker(
      parseEnv({ RERANKER: "tei", RERANKER_URL: "http://127.0.0.1:1", RERANKER_TIMEOUT_MS: "250", RERANKER_CIRCUIT_FAILURES: "2", RERANKER_CIRCUIT_COOLDOWN_MS: "1500" }),
    );
    expect(reranker).toMatchObject({ name: "tei", timeoutMs: 250, failureThreshold: 2, cooldownMs: 1500 });
  });

  it("keeps 3 failures and 30 s of cool-down by default, and needs no wrapper for the embedded reranker", async () => {
    expect(await createReranker(parseEnv({ RERANKER: "tei", RERANKER_URL: "http://127.0.0.1:1" }))).toMatchObject({ failureThreshold: 3, cooldownMs: 30_000 });
    expect(await createReranker(parseEnv({}))).toBeUndefined();
  });
});
