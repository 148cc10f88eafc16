import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importArticles } from "~/articles/import.server";
import { parseEnv } from "~/config/env.server";
import { startTestRerankServer, type TestRerankServer } from "~/rerank/test-rerank-server";
import { createServices, type Services } from "~/services.server";
import { search } from "./pipeline.server";
import type { SearchRequest } from "./search-request";

/** A small real corpus: a few seed articles, public and internal. */
const SLUGS = [
  "en/track-your-order", "en/tracking-not-updating", "en/delivery-times", "en/refund-policy",
  "en/request-a-refund", "en/reset-your-password", "en/accepted-payment-methods", "en/cancel-an-order",
  "internal/escalation-matrix", "internal/carrier-claims-lost-packages", "zh/track-your-order-zh",
];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-pipeline-"));
const articles = path.join(dir, "articles");
for (const slug of SLUGS) {
  fs.mkdirSync(path.dirname(path.join(articles, slug)), { recursive: true });
  fs.copyFileSync(path.join("seed/articles", `${slug}.md`), path.join(articles, `${slug}.md`));
}

const request = (q: string, extra: Partial<SearchRequest> = {}): SearchRequest => ({ q, surface: "help", limit: 10, offset: 0, ...extra });
let server: TestRerankServer;
const opened: Services[] = [];

async function servicesWith(env: Record<string, string>): Promise<Services> {
  const services = await createServices(parseEnv({ DATABASE_PATH: path.join(dir, "pipeline.db"), ...env }));
  opened.push(services);
  await importArticles({ dir: articles, store: services.store, engine: services.engine });
  await services.refreshIndexes();
  return services;
}

beforeAll(async () => {
  server = await startTestRerankServer();
});
afterAll(async () => {
  for (const s of opened) await s.close();
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("search pipeline, embedded default", () => {
  let services: Services;
  beforeAll(async () => {
    services = await servicesWith({});
  });

  it("stores vectors once: a second build embeds nothing", async () => {
    const again = await services.refreshIndexes();
    expect(again?.stats.embedded).toBe(0);
    expect(again?.stats.units).toBeGreaterThan(SLUGS.length * 5);
  });

  it("re-embeds only the texts of a changed article", async () => {
    const file = path.join(articles, "en/cancel-an-order.md");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, `${original}\n## One more thing\n\nCancelled gift orders refund the buyer, not the recipient.\n`);
    try {
      const summary = await importArticles({ dir: articles, store: services.store, engine: services.engine });
      expect(summary.updated).toBe(1);
      const index = await services.refreshIndexes();
      expect(index?.stats.embedded).toBe(1);
    } finally {
      fs.writeFileSync(file, original);
      await importArticles({ dir: articles, store: services.store, engine: services.engine });
      await services.refreshIndexes();
    }
  });

  it("scores a recurring instruction topic once per index build, with the same scores as a fresh pass", async () => {
    const index = services.semanticIndex()!;
    const embedder = services.embedder!;
    let embeds = 0;
    const embed = (text: string) => {
      embeds++;
      return embedder.embedOne(text, "query");
    };
    const topic = "shipping status and delivery tracking";
    const [first, concurrent] = await Promise.all([index.scoreRecurring(topic, embed), index.scoreRecurring(topic, embed)]);
    const again = await index.scoreRecurring(topic, embed);
    expect(embeds).toBe(1);
    expect(concurrent).toBe(first);
    expect(again).toBe(first);
    const fresh = await index.score(await embedder.embedOne(topic, "query"));
    const filter = { audiences: ["public"] as const, locale: "en" as const };
    expect(first.top(filter, 5).length).toBe(5);
    expect(first.top(filter, 5)).toEqual(fresh.top(filter, 5));
    expect(first.get("track-your-order")).toEqual(fresh.get("track-your-order"));

    // A failed first computation is not kept: the next call tries again.
    await expect(index.scoreRecurring("a topic whose encoder fails", () => Promise.reject(new Error("encoder down")))).rejects.toThrow("encoder down");
    await expect(index.scoreRecurring("a topic whose encoder fails", embed)).resolves.toBeDefined();
    expect(embeds).toBe(2);
  });

  it("runs each mode", async () => {
    const deps = services.searchDeps();
    const keyword = await search(deps, request("tracking number"), "keyword");
    expect(keyword.results[0]?.explain.semantic).toBeUndefined();
    const semantic = await search(deps, request("wheres my stuff"), "semantic");
    expect(semantic.results[0]?.explain.keyword.weight).toBe(0);
    expect(["track-your-order", "tracking-not-updating"]).toContain(semantic.results[0]?.slug);
    const full = await search(deps, request("wheres my stuff"));
    expect(full.results.length).toBeGreaterThan(0);
    expect(full.reranker).toMatchObject({ name: "embedding", status: "ok" });
  });

  it("fixes typos before searching, says so, and searches as typed when asked", async () => {
    const deps = services.searchDeps();
    const corrected = await search(deps, request("how to rest my passwrod"));
    expect(corrected.query).toBe("how to rest my passwrod");
    expect(corrected.corrected_query).toBe("how to rest my password");
    expect(corrected.corrections).toEqual([{ from: "passwrod", to: "password" }]);
    expect(corrected.results[0]?.slug).toBe("reset-your-password");
    expect(corrected.results[0]?.title_html).toContain("<mark>");

    const exact = await search(deps, request("how to rest my passwrod", { exact: true }));
    expect(exact.corrected_query).toBeNull();
    expect(exact.corrections).toEqual([]);
    expect((await search(deps, request("reset my password"))).corrected_query).toBeNull();
  });

  it("explains the phrasing term with the written phrasing that matched", async () => {
    const response = await search(services.searchDeps(), request("can I cancel my order"));
    const top = response.results[0]!;
    expect(top.slug).toBe("cancel-an-order");
    const article = services.store.getBySlug("cancel-an-order")!;
    expect([article.title, ...article.questions]).toContain(top.explain.phrasing?.matched);
    expect(top.explain.phrasing).toMatchObject({ weight: 0.1 });
    expect(top.explain.phrasing?.value).toBeGreaterThan(0.5);
    const keywordOnly = await search(services.searchDeps(), request("can I cancel my order"), "keyword");
    expect(keywordOnly.results[0]?.explain.phrasing).toBeUndefined();
  });

  it("never lets semantic recall reach an internal article", async () => {
    const response = await search(services.searchDeps(), request("escalate a lost parcel carrier claim to tier 2", { limit: 50 }));
    expect(response.results.map((r) => r.audience)).not.toContain("internal");
  });

  it("with a relevance floor, a query nothing fits has no results, whatever the instruction", async () => {
    const deps = services.searchDeps();
    expect(deps.relevanceFloor).toEqual({ en: 0.48, zh: 0.96 });
    for (const q of ["how do black holes form", "今天天气怎么样"]) {
      const off = await search(deps, request(q, { instruction: "prefer articles about delivery and tracking" }));
      expect(off).toMatchObject({ total: 0, results: [] });
    }
    const fits = await search(deps, request("where is my package"));
    expect(fits.results[0]?.slug).toBe("track-your-order");
    const terse = await search(deps, request("pkg not here yet"));
    expect(terse.total).toBeGreaterThan(0);
  });

  it("lets the caller's instruction decide an ambiguous query, as its own explained term", async () => {
    const deps = services.searchDeps();
    const top = async (instruction?: string) => (await search(deps, request("refund", { instruction }))).results[0];
    const rules = await top("prefer articles about the rules: which purchases qualify and the time limits");
    const start = await top("the customer wants to start the process of getting their money back");
    expect(rules?.slug).toBe("refund-policy");
    expect(start?.slug).toBe("request-a-refund");
    expect(start?.explain.request_instruction).toMatchObject({ value: 1, weight: deps.weights.requestInstruction });
    expect(start?.explain.instruction).toBeUndefined(); // the help default preset has no instruction
    const plain = await search(deps, request("refund"));
    expect(plain.results[0]?.explain.request_instruction).toBeUndefined();
  });
});

describe("search pipeline with a remote reranker (vLLM API, real local HTTP server)", () => {
  let services: Services;
  beforeAll(async () => {
    services = await servicesWith({
      RERANKER: "vllm",
      RERANKER_URL: server.url,
      RERANKER_MODEL: "Qwen/Qwen3-Reranker-0.6B",
      RERANKER_TIMEOUT_MS: "800",
    });
  });

  it("adds the reranker term, sends Qwen3-formatted passages with the instruction", async () => {
    server.reset();
    server.scoreWith((_q, doc) => (doc.includes("Reset a forgotten password") ? 0.99 : 0.01));
    const response = await search(services.searchDeps(), request("where is my order", { instruction: "prefer account articles" }));
    expect(response.reranker).toEqual({ name: "vllm", model: "Qwen/Qwen3-Reranker-0.6B", status: "ok" });
    expect(response.results[0]?.slug).toBe("reset-your-password");
    expect(response.results[0]?.explain.rerank).toMatchObject({ score: 0.99, weight: 1 });
    const [sent] = server.rerankRequests();
    const body = sent?.body as { query: string; documents: string[] };
    expect(body.query).toContain("<Instruct>: prefer account articles\n<Query>: where is my order\n");
    expect(body.documents.every((d) => d.startsWith("<Document>: "))).toBe(true);
  });

  it.each([
    ["slow", "timeout"],
    ["error500", "unavailable"],
    ["reset", "unavailable"],
    ["invalid-json", "bad_response"],
    ["wrong-shape", "bad_response"],
  ] as const)("falls back to the fused order when the reranker is %s", async (kind, reason) => {
    server.reset();
    const baseline = await search(services.searchDeps(), request("package tracking number"), "hybrid");
    server.failNext(kind, { delayMs: 2_000 });
    const started = performance.now();
    const response = await search(services.searchDeps(), request("package tracking number"));
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(response.reranker).toMatchObject({ name: "vllm", status: "fallback", reason });
    expect(response.results.map((r) => r.slug)).toEqual(baseline.results.map((r) => r.slug));
    expect(response.results[0]?.explain.rerank).toBeUndefined();
    // The next call succeeds again (and resets the breaker's failure count).
    expect((await search(services.searchDeps(), request("package tracking number"))).reranker.status).toBe("ok");
  });

  it("tells agents why the reranker failed, and customers only that it did", async () => {
    server.reset();
    server.failNext("error500");
    const customer = await search(services.searchDeps(), request("package tracking number"));
    expect(customer.reranker).toEqual({ name: "vllm", model: "Qwen/Qwen3-Reranker-0.6B", status: "fallback", reason: "unavailable" });
    expect(JSON.stringify(customer)).not.toContain(server.url);
    server.failNext("error500");
    const agent = await search(services.searchDeps(), request("package tracking number", { surface: "agent" }), "full", { internal: true });
    expect(agent.reranker).toMatchObject({ status: "fallback", reason: "unavailable", message: expect.stringMatching(/500/) });
  });

  it("opens the circuit after repeated failures and stops calling the server", async () => {
    server.reset();
    server.setMode("error503");
    for (let i = 0; i < 3; i++) await search(services.searchDeps(), request("refund"));
    const calls = server.rerankRequests().length;
    const response = await search(services.searchDeps(), request("refund"));
    expect(response.reranker).toMatchObject({ status: "fallback", reason: "circuit_open" });
    expect(server.rerankRequests().length).toBe(calls);
    expect(response.results.length).toBeGreaterThan(0);
    server.setMode("ok");
  });
});

describe("search pipeline with an ONNX cross-encoder (random-weight fixture)", () => {
  it("scores every candidate's passages and explains the term", async () => {
    const services = await servicesWith({
      RERANKER: "cross-encoder",
      CROSS_ENCODER_DIR: "model/fixtures/tiny-random-cross-encoder",
      RERANKER_TIMEOUT_MS: "5000",
    });
    const response = await search(services.searchDeps(), request("how do I reset my password"));
    expect(response.reranker).toMatchObject({ name: "cross-encoder", model: "tiny-random-cross-encoder", status: "ok" });
    for (const result of response.results) {
      expect(result.explain.rerank?.score).toBeGreaterThan(0);
      expect(result.explain.rerank?.score).toBeLessThan(1);
    }
    expect(response.timings.rerank_ms).toBeGreaterThan(0);
  });
});

describe("switching encoders (ENCODER_DIR)", () => {
  it("embeds the corpus once for a new model, and nothing when switching back", async () => {
    const { db } = await servicesWith({});
    const models = () => db.prepare("SELECT model_id, count(*) AS n FROM text_vectors GROUP BY model_id ORDER BY model_id").all();
    const before = models();
    const use = await servicesWith({ ENCODER_DIR: "model/use-lite-en" });
    const first = use.semanticIndex()!;
    expect(first.modelId).toBe("use-lite-en/use_lite_int8.onnx");
    expect(first.stats.embedded).toBeGreaterThan(0);
    expect((await use.refreshIndexes())!.stats.embedded).toBe(0);
    // Back to the default pair: their vectors are still stored, keyed by model id.
    const back = await servicesWith({});
    expect(back.semanticStages()!.stages.map((s) => s.index.stats.embedded)).toEqual([0, 0]);
    expect(back.semanticStages()!.modelIds).toEqual(["all-MiniLM-L6-v2-int8", "multilingual-e5-small-int8-trim"]);
    expect(models()).toEqual([...before, { model_id: "use-lite-en/use_lite_int8.onnx", n: first.stats.embedded }].sort((a: any, b: any) => a.model_id.localeCompare(b.model_id)));
  }, 120_000);
});
