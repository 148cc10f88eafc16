/** A candidate text to score: one passage of an article. */
export interface RerankDocument {
  /** Caller's id (e.g. "slug#position"); not sent to remote servers. */
  id: string;
  text: string;
  /** Content hash of the passage, so embedded rerankers can reuse stored vectors. */
  hash?: string;
}

export const RERANKER_NAMES = ["embedding", "cross-encoder", "vllm", "tei", "cohere", "off"] as const;
export type RerankerName = (typeof RERANKER_NAMES)[number];

export interface Reranker {
  readonly name: Exclude<RerankerName, "off">;
  /** Model identifier, shown in `explain` and the API's `reranker` field. */
  readonly model: string;
  /**
   * One relevance score per document, in the documents' order; higher is more relevant.
   * `instruction` steers instruction-aware models (Qwen3-Reranker); others may ignore it.
   */
  score(
    query: string,
    instruction: string | undefined,
    documents: readonly RerankDocument[],
    options?: { signal?: AbortSignal },
  ): Promise<number[]>;
  health(): Promise<{ ok: boolean; detail?: string }>;
}

export type RerankFailureReason = "timeout" | "unavailable" | "bad_response" | "circuit_open" | "aborted";

/** Why a reranker produced no scores; the search falls back to fused order without it. */
export class RerankerError extends Error {
  override name = "RerankerError";
  constructor(
    readonly reason: RerankFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class RerankerTimeoutError extends RerankerError {
  override name = "RerankerTimeoutError";
  constructor(ms: number, options?: { cause?: unknown }) {
    super("timeout", `reranker did not answer within ${ms} ms`, options);
  }
}

export class RerankerUnavailableError extends RerankerError {
  override name = "RerankerUnavailableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("unavailable", message, options);
  }
}

export class RerankerBadResponseError extends RerankerError {
  override name = "RerankerBadResponseError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("bad_response", message, options);
  }
}

export class CircuitOpenError extends RerankerError {
  override name = "CircuitOpenError";
  constructor(retryInMs: number) {
    super("circuit_open", `reranker disabled after repeated failures; retrying in ${Math.ceil(retryInMs / 1000)} s`);
  }
}
