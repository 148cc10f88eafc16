import { expect, test, type APIRequestContext } from "@playwright/test";
import Database from "better-sqlite3";
import { startTestRerankServer, type TestRerankServer } from "../app/rerank/test-rerank-server";
import { startApp, type AppProcess } from "./app-process";

/**
 * Faults (issue 12): the remote reranker breaks while the production server runs. RERANKER=vllm
 * points at a real HTTP server on 127.0.0.1 (app/rerank/test-rerank-server.ts) that is stopped,
 * made to hang, or made to answer HTTP 500, malformed JSON or one result too few, one fault after
 * the other. Searches (GET /api/search and the /help page) keep answering 200 in the fused order
 * without the rerank term, with reranker.status "fallback", its reason, the page's note and
 * "fallback" in the search log; after 3 failures the circuit opens and searches skip the reranker;
 * once it is healthy again they recover (status "ok", its order) after the cool-down.
 */

const TIMEOUT_MS = 500;
const COOLDOWN_MS = 1_500;
const QUERY = "refund";
const NOTE = "Smart ranking is unavailable right now";

interface SearchBody {
  reranker: { name: string; model?: string; status: string; reason?: string; message?: string };
  timings: { rerank_ms: number };
  results: { slug: string; score: number; explain: { rerank?: unknown } }[];
}

test.describe.configure({ mode: "serial", timeout: 60_000 });

let reranker: TestRerankServer;
let rerankerPort: number;
let app: AppProcess;
/** Searches made, by the reranker status they answered with (the search log must agree). */
const logged = { ok: 0, fallback: 0 };
let rerankedOrder: string[] = [];
let fallbackOrder: string[] | undefined;

test.beforeAll(async () => {
  reranker = await startTestRerankServer();
  rerankerPort = Number(new URL(reranker.url).port);
  app = await startApp({
    RERANKER: "vllm",
    RERANKER_URL: reranker.url,
    RERANKER_MODEL: "test-reranker",
    RERANKER_TIMEOUT_MS: String(TIMEOUT_MS),
    RERANKER_CIRCUIT_FAILURES: "3",
    RERANKER_CIRCUIT_COOLDOWN_MS: String(COOLDOWN_MS),
  });
});

test.afterAll(async () => {
  await app?.stop();
  await reranker?.close();
});

async function apiSearch(request: APIRequestContext): Promise<SearchBody & { ms: number }> {
  const started = performance.now();
  const response = await request.get(`${app.url}/api/search?q=${QUERY}`);
  const ms = performance.now() - started;
  expect(response.status(), await response.text()).toBe(200);
  const body = (await response.json()) as SearchBody;
  logged[body.reranker.status as "ok" | "fallback"]++;
  return { ...body, ms };
}

async function pageSearch(request: APIRequestContext): Promise<string> {
  const response = await request.get(`${app.url}/help?q=${QUERY}`);
  expect(response.status()).toBe(200);
  const html = await response.text();
  logged[html.includes(NOTE) ? "fallback" : "ok"]++;
  return html;
}

const slugs = (body: SearchBody) => body.results.map((r) => r.slug);

/** Fused order without the rerank term: the same whatever the fault, scores descending. */
function expectKeywordOrder(body: SearchBody): void {
  expect(body.results.length).toBeGreaterThan(3);
  expect(body.results.filter((r) => r.explain.rerank !== undefined)).toEqual([]);
  const scores = body.results.map((r) => r.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  fallbackOrder ??= slugs(body);
  expect(slugs(body)).toEqual(fallbackOrder);
}

test("a healthy reranker: status ok, its scores in every result and in the order", async ({ request }) => {
  const body = await apiSearch(request);
  expect(body.reranker).toEqual({ name: "vllm", model: "test-reranker", status: "ok" });
  expect(body.results.every((r) => r.explain.rerank !== undefined)).toBe(true);
  expect(reranker.rerankRequests().length).toBe(1);
  rerankedOrder = slugs(body);
  expect((await pageSearch(request))).not.toContain(NOTE);
});

const FAULTS = [
  { name: "stopped", reason: "unavailable", inject: () => reranker.close(), heal: async () => void (reranker = await startTestRerankServer({ port: rerankerPort })) },
  { name: "hanging", reason: "timeout", inject: () => reranker.setMode("slow", { delayMs: 30_000 }), heal: () => reranker.setMode("ok") },
  { name: "answering HTTP 500", reason: "unavailable", inject: () => reranker.setMode("error500"), heal: () => reranker.setMode("ok") },
  { name: "answering malformed JSON", reason: "bad_response", inject: () => reranker.setMode("invalid-json"), heal: () => reranker.setMode("ok") },
  { name: "answering one result too few", reason: "bad_response", inject: () => reranker.setMode("missing-result"), heal: () => reranker.setMode("ok") },
] as const;

for (const fault of FAULTS) {
  test(`reranker ${fault.name} mid-run: keyword order with status fallback, the circuit opens, and searches recover after the cool-down`, async ({ request }) => {
    await fault.inject();

    // Three failing calls, each within the timeout (plus the search itself).
    let thirdStarted = 0;
    for (let i = 0; i < 3; i++) {
      thirdStarted = performance.now();
      const body = await apiSearch(request);
      expect(body.reranker).toEqual({ name: "vllm", model: "test-reranker", status: "fallback", reason: fault.reason });
      expect(body.ms).toBeLessThan(TIMEOUT_MS + 2_500);
      expectKeywordOrder(body);
    }
    // Then the circuit is open: the page shows its note, and no search calls the reranker.
    const callsWhileOpen = reranker.rerankRequests().length;
    const page = await pageSearch(request);
    expect(page).toContain(NOTE);
    expect(page).toContain(`href="/click/`);
    const open = await apiSearch(request);
    expect(open.reranker).toMatchObject({ status: "fallback", reason: "circuit_open" });
    expect(open.timings.rerank_ms).toBeLessThan(50);
    expectKeywordOrder(open);
    expect(reranker.rerankRequests().length).toBe(callsWhileOpen);

    // Healthy again: searches stay in keyword order until the cool-down has passed, then the
    // trial call closes the circuit and the reranker's order is back.
    await fault.heal();
    const healed = performance.now();
    let body = await apiSearch(request);
    while (body.reranker.status !== "ok" && performance.now() - healed < COOLDOWN_MS + 10_000) {
      expect(body.reranker).toMatchObject({ status: "fallback", reason: "circuit_open" });
      await new Promise((resolve) => setTimeout(resolve, 200));
      body = await apiSearch(request);
    }
    expect(body.reranker).toEqual({ name: "vllm", model: "test-reranker", status: "ok" });
    // The circuit opened during the third call: not before the cool-down had passed since.
    expect(performance.now() - thirdStarted).toBeGreaterThanOrEqual(COOLDOWN_MS);
    expect(slugs(body)).toEqual(rerankedOrder);
    expect(await pageSearch(request)).not.toContain(NOTE);
  });
}

test("the reranker changes the order when it works, the search log holds every search's status, and the log says why", async () => {
  expect(fallbackOrder).toBeDefined();
  expect(rerankedOrder).not.toEqual(fallbackOrder);
  const db = new Database(app.databasePath, { readonly: true, fileMustExist: true });
  try {
    const counts = Object.fromEntries(
      (db.prepare("SELECT reranker_status AS status, count(*) AS n FROM searches GROUP BY 1").all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
    );
    expect(counts).toEqual(logged);
  } finally {
    db.close();
  }
  expect(app.output().match(/circuit closed -> open/g)).toHaveLength(FAULTS.length);
});
