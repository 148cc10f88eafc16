import { HttpReranker, type HttpRerankerOptions } from "./http-reranker.server";
import { formatQwen3Document, formatQwen3Query, isQwen3Reranker } from "./qwen3-format";
import type { RerankDocument } from "./reranker";

export interface VllmRerankerOptions extends HttpRerankerOptions {
  /** Served model name, sent as `model` (e.g. "Qwen/Qwen3-Reranker-0.6B"). */
  model: string;
  /**
   * Apply the Qwen3-Reranker prompt template on the client (default: `isQwen3Reranker(model)`).
   * Set false when the server already applies it (e.g. a vLLM started with a score template).
   */
  qwen3Format?: boolean;
}

/** vLLM's Jina/Cohere-compatible `POST /v1/rerank`. */
export class VllmReranker extends HttpReranker {
  readonly name = "vllm" as const;
  readonly model: string;
  readonly qwen3Format: boolean;
  protected readonly healthPath = "/health";

  constructor(options: VllmRerankerOptions) {
    super(options);
    if (!options.model) throw new TypeError("VllmReranker needs a model name");
    this.model = options.model;
    this.qwen3Format = options.qwen3Format ?? isQwen3Reranker(options.model);
  }

  async score(
    query: string,
    instruction: string | undefined,
    documents: readonly RerankDocument[],
    options?: { signal?: AbortSignal },
  ): Promise<number[]> {
    if (documents.length === 0) return [];
    const body = {
      model: this.model,
      query: this.qwen3Format ? formatQwen3Query(query, instruction) : query,
      documents: documents.map((d) => (this.qwen3Format ? formatQwen3Document(d.text) : d.text)),
      top_n: documents.length,
    };
    return this.postForRelevance("/v1/rerank", body, documents.length, options?.signal);
  }
}
