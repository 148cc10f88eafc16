import { z } from "zod";
import {
  HttpReranker,
  linkedAbortController,
  scoresInDocumentOrder,
  type HttpRerankerOptions,
  type IndexedScore,
} from "./http-reranker.server";
import type { RerankDocument } from "./reranker";

/** TEI's default `--max-client-batch-size`; larger requests are answered 413. */
export const TEI_DEFAULT_MAX_BATCH_SIZE = 32;

export interface TeiRerankerOptions extends HttpRerankerOptions {
  /** Shown in `explain` and the API (TEI serves one model; default "text-embeddings-inference"). */
  model?: string;
  /** Prepend `${instruction}\n` to the query (default false: TEI cross-encoders are not instruction-aware). */
  instructionInQuery?: boolean;
  /**
   * Most texts per request (default 32, TEI's default `--max-client-batch-size`); more documents are
   * sent as several concurrent requests. Scores are sigmoid-normalised (`raw_scores: false`), so
   * they compare across batches.
   */
  maxBatchSize?: number;
}

/** TEI answers a bare array sorted by score: `[{index, score, text?}]`. */
export const teiRerankResponseSchema = z.array(
  z.object({
    index: z.number().int().nonnegative(),
    score: z.number().finite(),
  }),
);

/** Hugging Face text-embeddings-inference `POST /rerank`. */
export class TeiReranker extends HttpReranker {
  readonly name = "tei" as const;
  readonly model: string;
  readonly instructionInQuery: boolean;
  readonly maxBatchSize: number;
  protected readonly healthPath = "/health";

  constructor(options: TeiRerankerOptions) {
    super(options);
    this.model = options.model || "text-embeddings-inference";
    this.instructionInQuery = options.instructionInQuery ?? false;
    const maxBatchSize = options.maxBatchSize ?? TEI_DEFAULT_MAX_BATCH_SIZE;
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
      throw new TypeError(`TeiReranker maxBatchSize must be a positive integer, got ${maxBatchSize}`);
    }
    this.maxBatchSize = maxBatchSize;
  }

  async score(
    query: string,
    instruction: string | undefined,
    documents: readonly RerankDocument[],
    options?: { signal?: AbortSignal },
  ): Promise<number[]> {
    if (documents.length === 0) return [];
    const fullQuery = this.instructionInQuery && instruction ? `${instruction}\n${query}` : query;
    const texts = documents.map((d) => d.text);
    if (texts.length <= this.maxBatchSize) {
      return this.scoreBatch(fullQuery, texts, options?.signal);
    }
    // Several batches at once; the first failure cancels the others.
    const { controller, dispose } = linkedAbortController(options?.signal);
    try {
      const batches: Promise<number[]>[] = [];
      for (let start = 0; start < texts.length; start += this.maxBatchSize) {
        batches.push(
          this.scoreBatch(fullQuery, texts.slice(start, start + this.maxBatchSize), controller.signal).catch((error) => {
            controller.abort(error);
            throw error;
          }),
        );
      }
      // Promise.all rejects with the first failure (and handles the later rejections of the batches it cancelled).
      return (await Promise.all(batches)).flat();
    } finally {
      dispose();
    }
  }

  private async scoreBatch(query: string, texts: string[], signal: AbortSignal | undefined): Promise<number[]> {
    const body = { query, texts, raw_scores: false };
    const response = await this.postJson("/rerank", body, teiRerankResponseSchema, signal);
    const results: IndexedScore[] = response.map((r) => ({ index: r.index, score: r.score }));
    return scoresInDocumentOrder(results, texts.length, `tei reranker at ${this.url}`);
  }
}
