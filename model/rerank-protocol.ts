import { z } from "zod";

/** Input limits of the rerank endpoints; over them the server answers 400 with a message. */
export const RERANK_LIMITS = {
  maxDocuments: 1000,
  maxDocumentChars: 20_000,
  maxQueryChars: 4_000,
  maxBodyBytes: 4 * 1024 * 1024,
  /** The same limit as the search API's `instruction` and a preset's. */
  maxInstructionChars: 500,
} as const;

/**
 * Why a request's body format is refused (415), or null for uncompressed JSON. Requiring
 * `application/json` keeps other web pages from calling the endpoint from a visitor's browser
 * with a "simple" cross-site request (text/plain or a form) that needs no CORS preflight.
 */
export function unsupportedBodyFormat(contentType: string | null | undefined, contentEncoding: string | null | undefined): string | null {
  const encoding = (contentEncoding ?? "").trim().toLowerCase();
  if (encoding && encoding !== "identity") return `Content-Encoding ${encoding} is not supported: send the JSON body uncompressed`;
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") return `Content-Type must be application/json${type ? `, not ${type}` : ""}`;
  return null;
}

const documentSchema = z.union([
  z.string(),
  z.object({ text: z.string() }).passthrough(),
]);

/** vLLM `/v1/rerank` and Cohere `/v2/rerank` request (the shapes are the same). */
export const rerankRequestSchema = z.object({
  model: z.string().optional(),
  query: z
    .string({ required_error: "query is required", invalid_type_error: "query must be a string" })
    .min(1, "query must not be empty")
    .max(RERANK_LIMITS.maxQueryChars, `query must be at most ${RERANK_LIMITS.maxQueryChars} characters`),
  documents: z
    .array(documentSchema, {
      required_error: "documents is required",
      invalid_type_error: "documents must be an array of strings or {text} objects",
    })
    .min(1, "documents must not be empty")
    .max(RERANK_LIMITS.maxDocuments, `at most ${RERANK_LIMITS.maxDocuments} documents per request`),
  top_n: z.number().int().min(1, "top_n must be at least 1").optional(),
  return_documents: z.boolean().optional(),
  /** Extension: an instruction for instruction-aware models. */
  instruction: z
    .string({ invalid_type_error: "instruction must be a string" })
    .max(RERANK_LIMITS.maxInstructionChars, `instruction must be at most ${RERANK_LIMITS.maxInstructionChars} characters`)
    .optional(),
  max_tokens_per_doc: z.number().int().positive().optional(),
});

export type RerankRequest = z.infer<typeof rerankRequestSchema>;

export interface RerankResult {
  index: number;
  relevance_score: number;
  document?: { text: string };
}

export interface RerankResponse {
  id: string;
  model: string;
  results: RerankResult[];
  usage: { total_tokens?: number; search_units?: number; documents: number };
}

export function documentText(document: RerankRequest["documents"][number]): string {
  return typeof document === "string" ? document : document.text;
}

/** Validates a parsed JSON body; returns the request or a message for a 400. */
export function parseRerankRequest(body: unknown): { ok: true; request: RerankRequest } | { ok: false; message: string } {
  const result = rerankRequestSchema.safeParse(body);
  if (!result.success) {
    return { ok: false, message: result.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ") };
  }
  const tooLong = result.data.documents.findIndex((d) => documentText(d).length > RERANK_LIMITS.maxDocumentChars);
  if (tooLong !== -1) {
    return { ok: false, message: `documents.${tooLong}: at most ${RERANK_LIMITS.maxDocumentChars} characters per document` };
  }
  return { ok: true, request: result.data };
}

/** The name every HelpRank rerank endpoint answers to, besides the id of the model it serves. */
export const RERANK_MODEL_ALIAS = "helprank";

/**
 * Checks a request's `model` against what this server serves (its model ids and the alias), as
 * vLLM does: null when it may be served (or none was named), else a message for a 404.
 */
export function unknownModelMessage(requested: string | undefined, served: readonly string[]): string | null {
  if (requested === undefined || requested === RERANK_MODEL_ALIAS || served.includes(requested)) return null;
  return `The model \`${requested}\` does not exist. This server serves: ${[...served, RERANK_MODEL_ALIAS].join(", ")}.`;
}

/** Builds the response: results sorted by score, cut to top_n, documents echoed on request. */
export function buildRerankResponse(request: RerankRequest, scores: readonly number[], model: string, id: string): RerankResponse {
  const results = scores
    .map((score, index) => ({ index, relevance_score: score }))
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
    .slice(0, request.top_n ?? scores.length)
    .map((r) =>
      request.return_documents ? { ...r, document: { text: documentText(request.documents[r.index]!) } } : r,
    );
  return { id, model, results, usage: { documents: scores.length } };
}
