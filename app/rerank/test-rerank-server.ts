/**
 * A real HTTP server for tests (node:http on 127.0.0.1, port 0) that speaks three rerank APIs:
 *   POST /v1/rerank  vLLM   {model, query, documents, top_n}  -> {id, model, usage, results: [{index, document, relevance_score}]}
 *   POST /v2/rerank  Cohere {model, query, documents, top_n}  -> {id, results: [{index, relevance_score}], meta}
 *   POST /rerank     TEI    {query, texts, raw_scores}        -> [{index, score}]
 *   GET  /health     200 (vLLM and TEI have one)
 * Results are sorted by score, best first, like the real servers, so clients must map by index.
 * It records every request and can misbehave, per request (`failNext`) or until told otherwise (`setMode`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const MISBEHAVIORS = [
  "slow", // answer correctly after `delayMs` (default 5 s)
  "error500",
  "error503",
  "reset", // destroy the socket without an answer
  "invalid-json",
  "wrong-shape", // valid JSON, not the API's shape
  "missing-result", // one result fewer than documents
  "index-out-of-range",
  "duplicate-index",
  "string-scores", // scores as strings ("0.5", "NaN")
] as const;
export type Misbehavior = (typeof MISBEHAVIORS)[number];
export type ServerMode = "ok" | Misbehavior;

export type RerankApi = "vllm" | "cohere" | "tei";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** Parsed JSON body (undefined for GET or a body that is not JSON). */
  body: unknown;
  /** What the server did with it. */
  mode: ServerMode;
}

export type ScoreFn = (query: string, document: string, index: number) => number;

export interface TestRerankServer {
  readonly url: string;
  /** Every request received, in order (health checks included). */
  readonly requests: RecordedRequest[];
  /** Rerank requests only (POST to any rerank path). */
  rerankRequests(): RecordedRequest[];
  /** Misbehave for the next `times` requests (default 1), then return to the current mode. */
  failNext(kind: Misbehavior, options?: { times?: number; delayMs?: number }): void;
  /** Behave like this until told otherwise ("ok" to recover). */
  setMode(mode: ServerMode, options?: { delayMs?: number }): void;
  /** How documents are scored (default: a deterministic hash of the document text). */
  scoreWith(fn: ScoreFn): void;
  /** Forget requests and queued misbehaviour, back to mode "ok" and the default scores. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_DELAY_MS = 5_000;

/** Deterministic, order-independent score in [0, 1). */
export function hashScore(_query: string, document: string): number {
  let h = 2166136261;
  for (let i = 0; i < document.length; i++) {
    h ^= document.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return ((h >>> 0) % 10_000) / 10_000;
}

const RERANK_PATHS: Record<string, RerankApi> = {
  "/v1/rerank": "vllm",
  "/v2/rerank": "cohere",
  "/rerank": "tei",
};

/** `port`: listen there (e.g. to bring a stopped server back where its clients point); default any free one. */
export async function startTestRerankServer(options: { port?: number } = {}): Promise<TestRerankServer> {
  const requests: RecordedRequest[] = [];
  let mode: ServerMode = "ok";
  let modeDelayMs = DEFAULT_DELAY_MS;
  let queue: { kind: Misbehavior; delayMs: number }[] = [];
  let scoreFn: ScoreFn = hashScore;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const nextBehaviour = (): { kind: ServerMode; delayMs: number } =>
    queue.shift() ?? { kind: mode, delayMs: modeDelayMs };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const path = (req.url ?? "/").split("?")[0]!;
      const behaviour = nextBehaviour();
      requests.push({ method: req.method ?? "GET", path, headers: req.headers, body, mode: behaviour.kind });
      handle(req, res, path, body, behaviour);
    });
  });

  function send(res: ServerResponse, status: number, payload: string, contentType = "application/json"): void {
    res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(payload) });
    res.end(payload);
  }

  function handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: unknown,
    behaviour: { kind: ServerMode; delayMs: number },
  ): void {
    switch (behaviour.kind) {
      case "reset":
        req.socket.destroy();
        return;
      case "error500":
        send(res, 500, JSON.stringify({ error: "Internal Server Error: CUDA out of memory while scoring" }));
        return;
      case "error503":
        send(res, 503, "Service Unavailable: model is loading", "text/plain");
        return;
      case "slow": {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer(res, path, body, "ok");
        }, behaviour.delayMs);
        timers.add(timer);
        res.on("close", () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        return;
      }
      default:
        answer(res, path, body, behaviour.kind);
    }
  }

  function answer(res: ServerResponse, path: string, body: unknown, kind: ServerMode): void {
    if (path === "/health") {
      send(res, 200, "");
      return;
    }
    const api = RERANK_PATHS[path];
    if (!api) {
      send(res, 404, JSON.stringify({ error: `no route for ${path}` }));
      return;
    }
    const request = body as { query?: unknown; documents?: unknown; texts?: unknown; model?: unknown } | undefined;
    const docs = api === "tei" ? request?.texts : request?.documents;
    if (typeof request?.query !== "string" || !Array.isArray(docs) || !docs.every((d) => typeof d === "string")) {
      send(res, 422, JSON.stringify({ error: "query must be a string and documents/texts an array of strings" }));
      return;
    }
    if (kind === "invalid-json") {
      send(res, 200, '{"results": [{"index": 0, "relevance_score": 0.5},');
      return;
    }
    const query = request.query;
    let results: { index: number; score: number | string }[] = (docs as string[])
      .map((doc, index) => ({ index, score: scoreFn(query, doc, index) }))
      .sort((a, b) => (b.score as number) - (a.score as number) || a.index - b.index);
    switch (kind) {
      case "missing-result":
        results = results.slice(0, -1);
        break;
      case "index-out-of-range":
        results[0] = { ...results[0]!, index: docs.length };
        break;
      case "duplicate-index":
        if (results.length > 1) results[1] = { ...results[1]!, index: results[0]!.index };
        break;
      case "string-scores":
        results = results.map((r, i) => ({ ...r, score: i === 0 ? "NaN" : String(r.score) }));
        break;
    }
    const model = typeof request.model === "string" ? request.model : "test-model";
    let payload: unknown;
    if (kind === "wrong-shape") {
      payload =
        api === "tei"
          ? { results: results.map((r) => ({ index: r.index, score: r.score })) }
          : { data: results.map((r) => ({ index: r.index, score: r.score })) };
    } else if (api === "tei") {
      payload = results.map((r) => ({ index: r.index, score: r.score }));
    } else if (api === "vllm") {
      payload = {
        id: `rerank-${requests.length}`,
        model,
        usage: { total_tokens: 42 },
        results: results.map((r) => ({
          index: r.index,
          document: { text: (docs as string[])[r.index] ?? "" },
          relevance_score: r.score,
        })),
      };
    } else {
      payload = {
        id: `cohere-${requests.length}`,
        results: results.map((r) => ({ index: r.index, relevance_score: r.score })),
        meta: { api_version: { version: "2" }, billed_units: { search_units: 1 } },
      };
    }
    send(res, 200, JSON.stringify(payload));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rerankRequests: () => requests.filter((r) => r.method === "POST" && r.path in RERANK_PATHS),
    failNext(kind, options) {
      const times = options?.times ?? 1;
      for (let i = 0; i < times; i++) queue.push({ kind, delayMs: options?.delayMs ?? DEFAULT_DELAY_MS });
    },
    setMode(next, options) {
      mode = next;
      modeDelayMs = options?.delayMs ?? DEFAULT_DELAY_MS;
    },
    scoreWith(fn) {
      scoreFn = fn;
    },
    reset() {
      requests.length = 0;
      queue = [];
      mode = "ok";
      modeDelayMs = DEFAULT_DELAY_MS;
      scoreFn = hashScore;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
