import { HttpReranker, type HttpRerankerOptions } from "./http-reranker.server";
import type { RerankDocument } from "./reranker";

export const COHERE_API_URL = "https://api.cohere.com";

export interface CohereRerankerOptions extends Omit<HttpRerankerOptions, "url"> {
  /** Base URL (default https://api.cohere.com); any server speaking Cohere's v2 rerank works. */
  url?: string;
  /** e.g. "rerank-v3.5". */
  model: string;
}

/** Cohere's `POST /v2/rerank`. The instruction is not sent: Cohere's API has no field for it. */
export class CohereReranker extends HttpReranker {
  readonly name = "cohere" as const;
  readonly model: string;
  /** Cohere has no health endpoint; health() runs a one-document rerank. */
  protected readonly healthPath = null;

  constructor(options: CohereRerankerOptions) {
    super({ ...options, url: options.url ?? COHERE_API_URL });
    if (!options.model) throw new TypeError("CohereReranker needs a model name");
    this.model = options.model;
  }

  async score(
    query: string,
    _instruction: string | undefined,
    documents: readonly RerankDocument[],
    options?: { signal?: AbortSignal },
  ): Promise<number[]> {
    if (documents.length === 0) return [];
    const body = {
      model: this.model,
      query,
      documents: documents.map((d) => d.text),
      top_n: documents.length,
    };
    return this.postForRelevance("/v2/rerank", body, documents.length, options?.signal);
  }
}
