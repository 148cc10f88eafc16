import type { Env } from "~/config/env.server";
import { CohereReranker } from "./cohere.server";
import { CrossEncoderReranker } from "./cross-encoder.server";
import type { Reranker } from "./reranker";
import { ResilientReranker } from "./resilient-reranker.server";
import { TeiReranker } from "./tei.server";
import { VllmReranker } from "./vllm.server";

/**
 * The second-stage reranker chosen by RERANKER, wrapped in timeout + circuit breaker.
 * `embedding` and `off` need none: the embedded encoder's score is already the semantic term.
 */
export async function createReranker(env: Env): Promise<ResilientReranker | undefined> {
  const inner = await createInner(env);
  if (!inner) return undefined;
  return new ResilientReranker(inner, {
    timeoutMs: env.RERANKER_TIMEOUT_MS,
    failureThreshold: env.RERANKER_CIRCUIT_FAILURES,
    cooldownMs: env.RERANKER_CIRCUIT_COOLDOWN_MS,
    onStateChange: (state, previous) => console.warn(`reranker ${inner.name}: circuit ${previous} -> ${state}`),
  });
}

async function createInner(env: Env): Promise<Reranker | undefined> {
  const remote = { url: env.RERANKER_URL ?? "", apiKey: env.RERANKER_API_KEY, timeoutMs: env.RERANKER_TIMEOUT_MS };
  switch (env.RERANKER) {
    case "embedding":
    case "off":
      return undefined;
    case "cross-encoder":
      return CrossEncoderReranker.load(env.CROSS_ENCODER_DIR ?? "");
    case "vllm":
      return new VllmReranker({ ...remote, model: env.RERANKER_MODEL ?? "" });
    case "tei":
      return new TeiReranker({ ...remote, model: env.RERANKER_MODEL });
    case "cohere":
      return new CohereReranker({ ...remote, model: env.RERANKER_MODEL ?? "" });
  }
}
