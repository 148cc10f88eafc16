/**
 * Prompt formatting for Qwen3-Reranker models served by vLLM's `/v1/rerank` (or `/score`).
 *
 * vLLM scores the pair (query, document) by concatenating the two strings, so the chat
 * template of the original model has to be applied by the client. The strings below are the
 * ones used by vLLM's own examples (examples/offline_inference/qwen3_reranker.py and
 * examples/online_serving/qwen3_rerank_client.py); do not change them without re-checking
 * those, the model's scores depend on every character.
 */

export const QWEN3_RERANKER_PREFIX =
  '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n';

export const QWEN3_RERANKER_SUFFIX = "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n";

/** The instruction the Qwen3-Reranker authors use when none is given. */
export const QWEN3_DEFAULT_INSTRUCTION = "Given a web search query, retrieve relevant passages that answer the query";

/** True for Qwen3-Reranker checkpoints (including converted "-seq-cls" variants). */
export function isQwen3Reranker(model: string): boolean {
  return /qwen3-reranker/i.test(model);
}

/** `{prefix}<Instruct>: {instruction}\n<Query>: {query}\n`; an empty or missing instruction uses the default. */
export function formatQwen3Query(query: string, instruction?: string): string {
  const instruct = instruction?.trim() ? instruction : QWEN3_DEFAULT_INSTRUCTION;
  return `${QWEN3_RERANKER_PREFIX}<Instruct>: ${instruct}\n<Query>: ${query}\n`;
}

/** `<Document>: {doc}{suffix}` */
export function formatQwen3Document(doc: string): string {
  return `<Document>: ${doc}${QWEN3_RERANKER_SUFFIX}`;
}
