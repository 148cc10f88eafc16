/** POST /v2/rerank — the Cohere v2 path of the same API. */
export { action, loader } from "./v1.rerank";
