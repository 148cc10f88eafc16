import { z } from "zod";
import {
  RerankerBadResponseError,
  RerankerError,
  RerankerTimeoutError,
  RerankerUnavailableError,
  type RerankDocument,
  type Reranker,
  type RerankerName,
} from "./reranker";

export const DEFAULT_HTTP_RERANK_TIMEOUT_MS = 5_000;

/**
 * The `{results: [{index, relevance_score}]}` answer shared by vLLM's `/v1/rerank` and Cohere's
 * `/v2/rerank`; their other fields (id, model, usage, meta, documents) are ignored.
 */
export const relevanceResultsSchema = z.object({
  results: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      relevance_score: z.number().finite(),
    }),
  ),
});

/** Longest excerpt of an error body kept in messages. */
const BODY_EXCERPT_CHARS = 200;

export interface HttpRerankerOptions {
  /** Base URL of the server, e.g. "http://127.0.0.1:8000" (a trailing slash is ignored). */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Limit for one HTTP request, connection to last byte of the body (default 5000 ms). */
  timeoutMs?: number;
}

/** A non-2xx answer; `reason` is "unavailable". */
export class RerankerHttpError extends RerankerUnavailableError {
  override name = "RerankerHttpError";
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A result as the servers report it, normalised to `{index, score}`. */
export interface IndexedScore {
  index: number;
  score: number;
}

/**
 * Turns results (usually sorted by score) into one score per document, in the documents' order.
 * Every document must appear exactly once with a finite score.
 */
export function scoresInDocumentOrder(results: readonly IndexedScore[], count: number, source: string): number[] {
  if (results.length !== count) {
    throw new RerankerBadResponseError(`${source} returned ${results.length} results for ${count} documents`);
  }
  const scores = new Array<number>(count).fill(Number.NaN);
  const seen = new Set<number>();
  for (const { index, score } of results) {
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new RerankerBadResponseError(`${source} returned index ${index}, outside 0..${count - 1}`);
    }
    if (seen.has(index)) {
      throw new RerankerBadResponseError(`${source} returned index ${index} twice`);
    }
    if (typeof score !== "number" || !Number.isFinite(score)) {
      throw new RerankerBadResponseError(`${source} returned a non-finite score for index ${index}: ${String(score)}`);
    }
    seen.add(index);
    scores[index] = score;
  }
  return scores;
}

/** Collapses whitespace and cuts a body for an error message. */
export function excerpt(text: string, max = BODY_EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (!flat) return "(empty body)";
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  const first = cause instanceof AggregateError && cause.errors.length > 0 ? cause.errors[0] : cause;
  const code = (first as { code?: unknown } | null)?.code;
  const message = first instanceof Error ? first.message : String(first);
  if (typeof code === "string" && !message.includes(code)) return `${code}: ${message}`;
  return message;
}

/**
 * Links an optional outer signal to a new controller; `dispose` removes the listener.
 * (AbortSignal.any keeps listeners on long-lived signals in Node 20, so it is done by hand.)
 */
export function linkedAbortController(outer: AbortSignal | undefined): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  if (!outer) return { controller, dispose: () => {} };
  if (outer.aborted) {
    controller.abort(outer.reason);
    return { controller, dispose: () => {} };
  }
  const onAbort = () => controller.abort(outer.reason);
  outer.addEventListener("abort", onAbort, { once: true });
  return { controller, dispose: () => outer.removeEventListener("abort", onAbort) };
}

export function abortedError(signal: AbortSignal | undefined, cause?: unknown): RerankerError {
  return new RerankerError("aborted", "reranker call was cancelled", { cause: cause ?? signal?.reason });
}

/**
 * Shared base of the rerankers that call a server over HTTP: JSON requests with a timeout,
 * typed errors, response validation with zod, and a health check.
 */
export abstract class HttpReranker implements Reranker {
  abstract readonly name: Exclude<RerankerName, "off">;
  abstract readonly model: string;

  readonly url: string;
  readonly timeoutMs: number;
  protected readonly apiKey: string | undefined;

  /** Path of a GET endpoint answering 2xx when the server is ready; null: probe with a tiny rerank. */
  protected abstract readonly healthPath: string | null;

  protected constructor(options: HttpRerankerOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError(`invalid reranker URL: ${JSON.stringify(options.url)}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new TypeError(`reranker URL must be http(s): ${options.url}`);
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_RERANK_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new TypeError(`reranker timeoutMs must be a positive number, got ${timeoutMs}`);
    }
    this.url = options.url.replace(/\/+$/, "");
    this.timeoutMs = timeoutMs;
    this.apiKey = options.apiKey || undefined;
  }

  abstract score(
    query: string,
    instruction: string | undefined,
    documents: readonly RerankDocument[],
    options?: { signal?: AbortSignal },
  ): Promise<number[]>;

  /** Never throws. */
  async health(): Promise<{ ok: boolean; detail?: string }> {
    try {
      if (this.healthPath !== null) {
        const { status, text } = await this.send("GET", this.healthPath, undefined, undefined);
        if (status >= 200 && status < 300) return { ok: true };
        return { ok: false, detail: `GET ${this.healthPath} answered HTTP ${status}: ${excerpt(text)}` };
      }
      const scores = await this.score("health check", undefined, [{ id: "health", text: "health check" }]);
      return scores.length === 1 ? { ok: true } : { ok: false, detail: "probe rerank returned no score" };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /** POSTs `body` as JSON to `path` and validates the 2xx answer with `schema`. */
  /** POSTs a vLLM/Cohere-shaped rerank body and returns the scores in the documents' order. */
  protected async postForRelevance(path: string, body: unknown, count: number, signal: AbortSignal | undefined): Promise<number[]> {
    const response = await this.postJson(path, body, relevanceResultsSchema, signal);
    return scoresInDocumentOrder(
      response.results.map((r) => ({ index: r.index, score: r.relevance_score })),
      count,
      `${this.name} reranker at ${this.url}`,
    );
  }

  protected async postJson<S extends z.ZodTypeAny>(
    path: string,
    body: unknown,
    schema: S,
    signal: AbortSignal | undefined,
  ): Promise<z.output<S>> {
    const { status, text } = await this.send("POST", path, body, signal);
    const where = `${this.name} reranker at ${this.url}${path}`;
    if (status < 200 || status >= 300) {
      throw new RerankerHttpError(status, `${where} answered HTTP ${status}: ${excerpt(text)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new RerankerBadResponseError(`${where} answered invalid JSON: ${excerpt(text, 80)}`, { cause: error });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = (parsed.error as z.ZodError).issues
        .slice(0, 3)
        .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
        .join("; ");
      throw new RerankerBadResponseError(`${where} answered an unexpected shape (${issues})`, { cause: parsed.error });
    }
    return parsed.data;
  }

  /** One request with the timeout; returns status and body text, throws typed errors for everything else. */
  protected async send(
    method: "GET" | "POST",
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; text: string }> {
    if (signal?.aborted) throw abortedError(signal);
    const endpoint = `${this.url}${path}`;
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;

    const { controller, dispose } = linkedAbortController(signal);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new RerankerTimeoutError(this.timeoutMs));
    }, this.timeoutMs);
    try {
      const response = await fetch(endpoint, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
      // The body is read under the same timeout: a server that stalls mid-body is a timeout too.
      const text = await response.text();
      return { status: response.status, text };
    } catch (error) {
      if (timedOut) throw new RerankerTimeoutError(this.timeoutMs, { cause: error });
      if (signal?.aborted) throw abortedError(signal, error);
      throw new RerankerUnavailableError(
        `${this.name} reranker at ${endpoint} is unreachable: ${describeNetworkError(error)}`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
      dispose();
    }
  }
}
