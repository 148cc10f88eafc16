import { randomUUID } from "node:crypto";
import { buildRerankResponse, documentText, parseRerankRequest, RERANK_LIMITS, unknownModelMessage, unsupportedBodyFormat } from "../../model/rerank-protocol";
import { instructionTopic } from "../../model/instruction-topic";
import { embeddingScores } from "../../model/scorer";
import { BodyTooLargeError, readBodyText } from "~/http/body.server";
import type { Services } from "~/services.server";

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
const error = (status: number, message: string, type?: string) => json({ error: { message, ...(type ? { type, code: status } : {}) } }, status);

/** The model ids this app's rerank API serves: the configured reranker's, else every encoder's. */
export function servedRerankModels(services: Services): string[] {
  if (services.reranker) return [services.reranker.model];
  return services.embedders.map((e) => e.modelId);
}

/**
 * POST /v1/rerank (vLLM / Cohere shape) with the app's own reranking model: the configured
 * second-stage reranker, or else the embedded sentence encoder.
 */
export async function handleRerankRequest(request: Request, services: Services): Promise<Response> {
  if (request.method !== "POST") return error(405, "use POST");
  const unsupported = unsupportedBodyFormat(request.headers.get("Content-Type"), request.headers.get("Content-Encoding"));
  if (unsupported) return error(415, unsupported);
  // Scoring pasted documents is heavy: a few at a time per process, so searches keep their cores.
  const cap = services.env.RERANK_API_MAX_CONCURRENT;
  if (inFlight >= cap) {
    return Response.json(
      { error: { message: `the rerank API is busy: at most ${cap} request${cap === 1 ? "" : "s"} at once per server process; retry in a moment` } },
      { status: 429, headers: { "Retry-After": "1", "Cache-Control": "no-store" } },
    );
  }
  inFlight++;
  try {
    return await rerankWithinLimits(request, services);
  } finally {
    inFlight--;
  }
}

/** Requests being scored by this process's rerank API. */
let inFlight = 0;

/**
 * The app's rerank API takes less than the model server (RERANK_LIMITS): it shares its cores with
 * customers' searches. The encoders read at most 256–512 tokens of a document anyway.
 */
export const APP_RERANK_LIMITS = { maxDocuments: 100, maxDocumentChars: 8_000, maxBodyBytes: 1024 * 1024 } as const;

async function rerankWithinLimits(request: Request, services: Services): Promise<Response> {
  let text: string;
  try {
    text = await readBodyText(request, APP_RERANK_LIMITS.maxBodyBytes);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return error(413, e.message);
    throw e;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return error(400, "body must be JSON");
  }
  const parsed = parseRerankRequest(body);
  if (!parsed.ok) return error(400, parsed.message);
  const { request: rerank } = parsed;
  if (rerank.documents.length > APP_RERANK_LIMITS.maxDocuments) {
    return error(400, `at most ${APP_RERANK_LIMITS.maxDocuments} documents per request on this app (the model server takes ${RERANK_LIMITS.maxDocuments})`);
  }
  const long = rerank.documents.findIndex((d) => documentText(d).length > APP_RERANK_LIMITS.maxDocumentChars);
  if (long >= 0) return error(400, `documents.${long}: at most ${APP_RERANK_LIMITS.maxDocumentChars} characters per document on this app`);
  const unknown = unknownModelMessage(rerank.model, servedRerankModels(services));
  if (unknown) return error(404, unknown, "NotFoundError");
  const outcome = await scoreDocuments(services, rerank.query, rerank.documents.map(documentText), rerank.instruction, "configured", rerank.model);
  if (!outcome.ok) return error(503, outcome.message);
  return json(buildRerankResponse(rerank, outcome.scores, outcome.model, randomUUID()));
}

export type ScoreOutcome = { ok: true; scores: number[]; model: string; reranker: string } | { ok: false; message: string };

/**
 * Scores texts against a query with the app's reranking model: the configured second-stage
 * reranker, or else the embedded sentence encoder (`use: "embedding"` forces the encoder).
 */
export async function scoreDocuments(
  services: Services,
  query: string,
  texts: string[],
  instruction?: string,
  use: "configured" | "embedding" = "configured",
  model?: string,
): Promise<ScoreOutcome> {
  if (services.reranker && use === "configured") {
    const documents = texts.map((text, i) => ({ id: String(i), text }));
    const outcome = await services.reranker.scoreOrFallback(query, instruction, documents);
    if (outcome.status === "fallback") return { ok: false, message: `reranker ${services.reranker.name} unavailable (${outcome.reason}): ${outcome.message}` };
    return { ok: true, scores: outcome.scores, model: services.reranker.model, reranker: services.reranker.name };
  }
  // A named encoder is used as asked; otherwise the one serving the query's language.
  const embedder = services.embedders.find((e) => e.modelId === model) ?? services.embedderFor(query);
  if (!embedder) return { ok: false, message: "no reranking model is enabled (SEMANTIC=false and RERANKER=off)" };
  const queryVector = await embedder.embedOne(query, "query");
  const instructionVector = instruction?.trim() ? await embedder.embedOne(instructionTopic(instruction), "query") : undefined;
  // Scored as the model server's embedding scorer does.
  const scores = embeddingScores(queryVector, instructionVector, await embedder.embedInBackground(texts, "passage"));
  return { ok: true, scores, model: embedder.modelId, reranker: "embedding" };
}
