import { randomUUID } from "node:crypto";
import { buildRerankResponse, documentText, parseRerankRequest, RERANK_LIMITS } from "../../model/rerank-protocol";
import { dot } from "~/search/semantic/embedder.server";
import type { Services } from "~/services.server";

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
const error = (status: number, message: string) => json({ error: { message } }, status);

/**
 * POST /v1/rerank (vLLM / Cohere shape) with the app's own reranking model: the configured
 * second-stage reranker, or else the embedded sentence encoder.
 */
export async function handleRerankRequest(request: Request, services: Services): Promise<Response> {
  if (request.method !== "POST") return error(405, "use POST");
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > RERANK_LIMITS.maxBodyBytes) return error(413, `body is larger than ${RERANK_LIMITS.maxBodyBytes} bytes`);
  const text = await request.text();
  if (Buffer.byteLength(text) > RERANK_LIMITS.maxBodyBytes) return error(413, `body is larger than ${RERANK_LIMITS.maxBodyBytes} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return error(400, "body must be JSON");
  }
  const parsed = parseRerankRequest(body);
  if (!parsed.ok) return error(400, parsed.message);
  const { request: rerank } = parsed;
  const documents = rerank.documents.map((d, i) => ({ id: String(i), text: documentText(d) }));

  if (services.reranker) {
    const outcome = await services.reranker.scoreOrFallback(rerank.query, rerank.instruction, documents);
    if (outcome.status === "fallback") return error(503, `reranker ${services.reranker.name} unavailable (${outcome.reason}): ${outcome.message}`);
    return json(buildRerankResponse(rerank, outcome.scores, services.reranker.model, randomUUID()));
  }
  if (!services.embedder) return error(503, "no reranking model is enabled (SEMANTIC=false and RERANKER=off)");
  const [query, ...vectors] = await services.embedder.embed([rerank.query, ...documents.map((d) => d.text)]);
  const scores = vectors.map((v) => dot(query!, v));
  return json(buildRerankResponse(rerank, scores, services.embedder.modelId, randomUUID()));
}
