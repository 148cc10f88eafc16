import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env.server";

describe("parseEnv", () => {
  it("works with no variables set (embedded defaults)", () => {
    expect(parseEnv({})).toMatchObject({
      PORT: 3000,
      DATABASE_PATH: "data/helprank.db",
      ENGINE: "sqlite",
      ARTICLES_DIR: "seed/articles",
    });
  });

  it.each([
    [{ PORT: "eighty" }, /PORT/],
    [{ PORT: "70000" }, /PORT/],
    [{ ENGINE: "elastic" }, /ENGINE/],
    [{ ENGINE: "meilisearch" }, /MEILI_URL: is required when ENGINE=meilisearch/],
    [{ MEILI_URL: "not a url" }, /MEILI_URL/],
    [{ MEILI_INDEX: "bad index!" }, /MEILI_INDEX/],
    [{ NODE_ENV: "production" }, /SESSION_SECRET: is required when NODE_ENV=production/],
    [{ SESSION_SECRET: "short" }, /SESSION_SECRET: must be at least 32 characters/],
    [{ RELEVANCE_FLOOR: "en:0.4" }, /RELEVANCE_FLOOR: "en:0.4" is not locale=number/],
    [{ RELEVANCE_FLOOR: "fr=0.4" }, /RELEVANCE_FLOOR/],
    [{ RERANKER_CIRCUIT_FAILURES: "0" }, /RERANKER_CIRCUIT_FAILURES/],
    [{ RERANKER_CIRCUIT_COOLDOWN_MS: "soon" }, /RERANKER_CIRCUIT_COOLDOWN_MS/],
    [{ HEAP_GROWTH_PERCENT: "-1" }, /HEAP_GROWTH_PERCENT/],
    [{ HEAP_GROWTH_PERCENT: "400" }, /HEAP_GROWTH_PERCENT/],
    [{ HEAP_GROWTH_PERCENT: "2.5" }, /HEAP_GROWTH_PERCENT/],
  ])("stops with a message naming the variable for %o", (env, message) => {
    expect(() => parseEnv(env)).toThrow(ConfigError);
    expect(() => parseEnv(env)).toThrow(message);
  });

  it("reads the relevance floor per locale, with calibrated defaults", () => {
    expect(parseEnv({}).RELEVANCE_FLOOR).toEqual({ en: 0.48, zh: 0.96 });
    expect(parseEnv({ RELEVANCE_FLOOR: "en=0.4" }).RELEVANCE_FLOOR).toEqual({ en: 0.4 });
    expect(parseEnv({ RELEVANCE_FLOOR: "en=0.35" }).RELEVANCE_FLOOR).toEqual({ en: 0.35 });
  });

  it("reads the reranker's circuit breaker settings, 3 failures and 30 s by default", () => {
    expect(parseEnv({})).toMatchObject({ RERANKER_CIRCUIT_FAILURES: 3, RERANKER_CIRCUIT_COOLDOWN_MS: 30_000 });
    expect(parseEnv({ RERANKER_CIRCUIT_FAILURES: "5", RERANKER_CIRCUIT_COOLDOWN_MS: "1500" })).toMatchObject({ RERANKER_CIRCUIT_FAILURES: 5, RERANKER_CIRCUIT_COOLDOWN_MS: 1500 });
  });

  it("keeps a server's heap within 30% of its live objects by default; 0 leaves V8's own rule", () => {
    expect(parseEnv({}).HEAP_GROWTH_PERCENT).toBe(30);
    expect(parseEnv({ HEAP_GROWTH_PERCENT: "0" }).HEAP_GROWTH_PERCENT).toBe(0);
  });

  it("accepts a Meilisearch configuration", () => {
    const env = parseEnv({ ENGINE: "meilisearch", MEILI_URL: "http://127.0.0.1:7700", MEILI_MASTER_KEY: "k" });
    expect(env).toMatchObject({ ENGINE: "meilisearch", MEILI_URL: "http://127.0.0.1:7700", MEILI_MASTER_KEY: "k" });
  });
});
