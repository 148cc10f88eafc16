/**
 * Standalone rerank server (node:http, no framework): serves a {@link Scorer} behind the vLLM
 * `/v1/rerank` and Cohere `/v2/rerank` APIs, plus `/health` and Prometheus `/metrics`.
 *
 *   npm run model:serve                     # MiniLM embedding scorer on http://127.0.0.1:8080
 *   MODEL_KIND=cross-encoder MODEL_DIR=path/to/cross-encoder PORT=9000 npm run model:serve
 *
 * Env: MODEL_KIND (embedding | cross-encoder; default embedding), MODEL_DIR (default model/minilm-l6-en
 * for embedding; required for a cross-encoder), PORT (default 8080), HOST (default 127.0.0.1),
 * ORT_PROVIDERS (see model/ort.ts).
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import { z } from "zod";
import { batchScorer, type BatchedScorerOptions } from "./micro-batcher";
import { executionProviders } from "./ort";
import { buildRerankResponse, documentText, parseRerankRequest, RERANK_LIMITS, unknownModelMessage, unsupportedBodyFormat } from "./rerank-protocol";
import { DEFAULT_EMBEDDING_DIR, loadScorer, SCORER_KINDS, type Scorer, type ScorerKind } from "./scorer";

export interface Logger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface RerankServerLimits {
  /** Request bodies above this get a 413; default RERANK_LIMITS.maxBodyBytes. */
  maxBodyBytes: number;
  /** Documents per request; can only be stricter than RERANK_LIMITS.maxDocuments. */
  maxDocuments: number;
}

export interface RerankServerOptions {
  scorer: Scorer;
  limits?: Partial<RerankServerLimits>;
  logger?: Logger;
  /** Micro-batching of concurrent requests (default on, 2 ms window); false scores each request on its own. */
  batching?: BatchedScorerOptions | false;
}

/** The server with its dedicated Prometheus registry. */
export type RerankServer = http.Server & { readonly metrics: Registry };

export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  error: (message, error) => console.error(message, ...(error === undefined ? [] : [error])),
};

const RERANK_PATHS = new Set(["/v1/rerank", "/v2/rerank", "/rerank"]);
const ROUTES: Record<string, readonly string[]> = {
  "/v1/rerank": ["POST"],
  "/v2/rerank": ["POST"],
  "/rerank": ["POST"],
  "/health": ["GET"],
  "/metrics": ["GET"],
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: "rerank_http_requests_total",
      help: "HTTP requests by route, method and status code",
      labelNames: ["route", "method", "status"] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: "rerank_http_request_duration_seconds",
      help: "HTTP request latency in seconds, by route",
      labelNames: ["route"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    pairs: new Counter({
      name: "rerank_pairs_scored_total",
      help: "(query, document) pairs scored",
      registers: [registry],
    }),
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, message: string, headers?: http.OutgoingHttpHeaders): void {
  sendJson(res, status, { error: { message } }, headers);
}

/**
 * Reads the body up to `limit` bytes. Over the limit it answers null and discards the rest of the
 * upload (so the client can read the 413 instead of seeing a reset connection).
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!tooLarge) resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
    req.on("aborted", () => reject(new HttpError(400, "request aborted by the client")));
  });
}

export function createRerankServer(options: RerankServerOptions): RerankServer {
  const { scorer } = options;
  const logger = options.logger ?? consoleLogger;
  const limits: RerankServerLimits = {
    maxBodyBytes: options.limits?.maxBodyBytes ?? RERANK_LIMITS.maxBodyBytes,
    maxDocuments: Math.min(options.limits?.maxDocuments ?? RERANK_LIMITS.maxDocuments, RERANK_LIMITS.maxDocuments),
  };
  const scoring = options.batching === false ? scorer : batchScorer(scorer, options.batching);
  const metrics = createMetrics();

  async function rerank(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const unsupported = unsupportedBodyFormat(req.headers["content-type"], req.headers["content-encoding"]);
    if (unsupported) return sendError(res, 415, unsupported, { connection: "close" });
    const body = await readBody(req, limits.maxBodyBytes);
    if (body === null) {
      return sendError(res, 413, `request body exceeds ${limits.maxBodyBytes} bytes`, { connection: "close" });
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch (error) {
      throw new HttpError(400, `invalid JSON body: ${error instanceof Error ? error.message : String(error)}`);
    }
    const parsed = parseRerankRequest(json);
    if (!parsed.ok) throw new HttpError(400, parsed.message);
    const request = parsed.request;
    const unknown = unknownModelMessage(request.model, [scorer.modelId]);
    if (unknown) throw new HttpError(404, unknown);
    if (request.documents.length > limits.maxDocuments) {
      throw new HttpError(400, `documents: at most ${limits.maxDocuments} documents per request`);
    }
    const texts = request.documents.map(documentText);
    const scores = await scoring.score(request.query, texts, request.instruction);
    if (scores.length !== texts.length || !scores.every(Number.isFinite)) {
      throw new Error(`scorer returned ${scores.length} scores (some not finite?) for ${texts.length} documents`);
    }
    metrics.pairs.inc(texts.length);
    sendJson(res, 200, buildRerankResponse(request, scores, scorer.modelId, randomUUID()));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, route: string): Promise<void> {
    const allowed = ROUTES[route];
    if (!allowed) return sendError(res, 404, `no route for ${req.method} ${route}`);
    if (!allowed.includes(req.method ?? "")) {
      return sendError(res, 405, `method ${req.method} not allowed on ${route}; use ${allowed.join(", ")}`, { allow: allowed.join(", ") });
    }
    if (RERANK_PATHS.has(route)) return rerank(req, res);
    if (route === "/health") return sendJson(res, 200, { status: "ok", model: scorer.modelId, kind: scorer.kind });
    const text = await metrics.registry.metrics();
    res.writeHead(200, { "content-type": metrics.registry.contentType });
    res.end(text);
  }

  const server = http.createServer((req, res) => {
    const stop = metrics.latency.startTimer();
    let pathname = "/";
    try {
      pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    } catch {
      // a malformed URL is answered 404 below
    }
    const route = ROUTES[pathname] ? pathname : "other";
    res.on("finish", () => {
      stop({ route });
      metrics.requests.inc({ route, method: req.method ?? "", status: String(res.statusCode) });
    });
    handle(req, res, pathname).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (status >= 500) logger.error(`rerank server: ${req.method} ${pathname} failed: ${message}`, error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (res.writableEnded || res.destroyed) return;
      sendError(res, status, status >= 500 ? `internal error: ${message}` : message);
    });
  }) as RerankServer;
  Object.defineProperty(server, "metrics", { value: metrics.registry, enumerable: true });
  return server;
}

// ---------------------------------------------------------------------------------------------
// Script entry: npm run model:serve

export interface ServerConfig {
  kind: ScorerKind;
  dir: string;
  port: number;
  host: string;
}

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const envSchema = z.object({
  MODEL_KIND: z.preprocess(
    blankToUndefined,
    z
      .enum(SCORER_KINDS as [ScorerKind, ...ScorerKind[]], {
        errorMap: () => ({ message: `must be one of ${SCORER_KINDS.join(", ")}` }),
      })
      .default("embedding"),
  ),
  MODEL_DIR: z.preprocess(blankToUndefined, z.string().optional()),
  PORT: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d+$/, "must be an integer from 0 to 65535")
      .transform(Number)
      .refine((n) => n <= 65535, "must be an integer from 0 to 65535")
      .default("8080"),
  ),
  HOST: z.preprocess(blankToUndefined, z.string().default("127.0.0.1")),
  ORT_PROVIDERS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        try {
          executionProviders(value);
        } catch (error) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message.replace(/^ORT_PROVIDERS: /, "") });
        }
      }),
  ),
});

/** Validates the server's environment; a failure names the variable and the bad value. */
export function parseServerEnv(env: Readonly<Record<string, string | undefined>> = process.env): { ok: true; config: ServerConfig } | { ok: false; message: string } {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const message = result.error.issues
      .map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        return `${name}: ${issue.message} (got ${JSON.stringify(env[name] ?? null)})`;
      })
      .join("; ");
    return { ok: false, message };
  }
  const { MODEL_KIND: kind, MODEL_DIR, PORT: port, HOST: host } = result.data;
  if (kind === "cross-encoder" && !MODEL_DIR) {
    return { ok: false, message: "MODEL_DIR: required when MODEL_KIND=cross-encoder (a directory with model.onnx, tokenizer.json, tokenizer_config.json)" };
  }
  return { ok: true, config: { kind, dir: MODEL_DIR ? path.resolve(MODEL_DIR) : DEFAULT_EMBEDDING_DIR, port, host } };
}

async function main(): Promise<void> {
  const parsed = parseServerEnv(process.env);
  if (!parsed.ok) {
    console.error(`model:serve: invalid environment: ${parsed.message}`);
    process.exit(1);
  }
  const { kind, dir, port, host } = parsed.config;

  const started = performance.now();
  let scorer: Scorer;
  try {
    scorer = await loadScorer(kind, dir);
  } catch (error) {
    console.error(`model:serve: could not load the ${kind} model from ${dir} (MODEL_KIND / MODEL_DIR): ${(error as Error).message}`);
    process.exit(1);
  }
  const loadMs = Math.round(performance.now() - started);

  const server = createRerankServer({ scorer });
  server.on("error", (error: NodeJS.ErrnoException) => {
    console.error(`model:serve: cannot listen on ${host}:${port} (HOST / PORT): ${error.message}`);
    process.exit(1);
  });
  server.listen(port, host, () => {
    const address = server.address();
    const actualPort = typeof address === "object" && address ? address.port : port;
    const shownHost = host.includes(":") ? `[${host}]` : host;
    console.log(`model:serve: ${kind} model ${scorer.modelId} loaded in ${loadMs} ms, listening on http://${shownHost}:${actualPort}`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`model:serve: ${signal}, shutting down`);
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close(() => {
      void Promise.resolve(scorer.release?.()).finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

function isMainModule(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(path.resolve(script)).href || fileURLToPath(import.meta.url) === path.resolve(script);
  } catch {
    return false;
  }
}

if (isMainModule()) void main();
