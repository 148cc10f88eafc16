import ort from "onnxruntime-node";

export { ort };

/**
 * Execution providers from ORT_PROVIDERS (comma-separated, e.g. "cuda,cpu"); CPU by default.
 * A GPU host asks for "cuda"; onnxruntime falls back to the next provider in the list.
 */
export function executionProviders(value = process.env.ORT_PROVIDERS): string[] {
  const list = (value ?? "cpu")
    .split(",")
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  const known = new Set(["cpu", "cuda", "tensorrt", "dml", "coreml", "webgpu"]);
  const unknown = list.filter((p) => !known.has(p));
  if (unknown.length) {
    throw new Error(`ORT_PROVIDERS: unknown execution provider(s) ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
  }
  return list.length ? list : ["cpu"];
}

export interface SessionOptions {
  /** Threads for one operator; defaults to ORT_THREADS or 2 (the size of the CI machine). */
  threads?: number;
  providers?: string[];
  /**
   * Keep onnxruntime's CPU memory arena (default): fastest for a steady stream of runs, but it
   * keeps its largest allocation for good; off, a big batch's memory is given back after the run.
   */
  memoryArena?: boolean;
  /**
   * Let idle operator threads busy-wait for the next operator (onnxruntime's default). Off by
   * default here: a waiting thread burns a whole core between runs, and in this app runs are a
   * few milliseconds apart, with request handling, GC and other processes wanting that core.
   */
  spinning?: boolean;
}

/** A session for a model file, or for a model built in memory (model/row-products.ts). */
export async function createSession(model: string | Uint8Array, options: SessionOptions = {}): Promise<ort.InferenceSession> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: options.providers ?? executionProviders(),
    intraOpNumThreads: options.threads ?? (Number(process.env.ORT_THREADS) || 2),
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
    enableCpuMemArena: options.memoryArena ?? true,
    extra: { session: { intra_op: { allow_spinning: options.spinning ? "1" : "0" } } },
  };
  // Two calls, one type each: onnxruntime's overloads do not take the union.
  return typeof model === "string" ? ort.InferenceSession.create(model, sessionOptions) : ort.InferenceSession.create(model, sessionOptions);
}
