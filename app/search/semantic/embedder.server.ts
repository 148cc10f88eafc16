import { LRUCache } from "lru-cache";
import type { EncoderThread } from "../../../model/encoder-thread";
import { loadSentenceEncoder as loadEncoder, type EncoderRole, type SentenceEncoder } from "../../../model/sentence-encoder";

export { dot } from "../../../model/sentence-encoder";
export type { EncoderRole } from "../../../model/sentence-encoder";

/** Turns texts into L2-normalised vectors (dot product = cosine); queries and passages may differ. */
export interface Embedder {
  readonly modelId: string;
  /** Article locales the model understands. */
  readonly locales: readonly string[];
  embed(texts: readonly string[], role?: EncoderRole): Promise<Float32Array[]>;
}

/**
 * Embeddings searches are waiting for, in this process (all encoders). onnxruntime-node runs a
 * model on the JavaScript thread, so while one runs nothing else does: background work (the rerank
 * API's pasted documents) runs one text at a time and only when no search is waiting.
 */
let interactiveEmbeds = 0;

/** The longest a background text waits for searches to finish before it runs anyway. */
const BACKGROUND_MAX_WAIT_MS = 100;

/** Lets pending I/O and any waiting search go first (setImmediate runs after the poll phase). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Remembers the vectors of recent texts: repeated queries and instructions cost nothing. */
export class CachedEmbedder implements Embedder {
  private readonly cache: LRUCache<string, Float32Array>;

  private readonly background: Pick<EncoderThread, "embed" | "close"> | undefined;

  /** `background`: the same model on a thread of its own, for embedInBackground. */
  constructor(
    private readonly inner: Embedder,
    options: { max?: number; background?: Pick<EncoderThread, "embed" | "close"> } = {},
  ) {
    this.cache = new LRUCache({ max: options.max ?? 2000 });
    this.background = options.background;
  }

  get modelId(): string {
    return this.inner.modelId;
  }

  get locales(): readonly string[] {
    return this.inner.locales;
  }

  async embed(texts: readonly string[], role: EncoderRole = "passage"): Promise<Float32Array[]> {
    const key = (t: string) => `${role}\u0000${t}`;
    const missing = [...new Set(texts.filter((t) => !this.cache.has(key(t))))];
    if (missing.length) {
      interactiveEmbeds++;
      try {
        const vectors = await this.inner.embed(missing, role);
        missing.forEach((text, i) => this.cache.set(key(text), vectors[i]!));
      } finally {
        interactiveEmbeds--;
      }
    }
    return texts.map((t) => this.cache.get(key(t))!);
  }

  /**
   * Vectors of one-off texts (documents sent to the rerank API), never remembered: on the
   * encoder's own thread when it has one, so searches go on meanwhile; else here, one text per
   * model run, each after waiting searches have had their turn (docs/decisions/010).
   */
  async embedInBackground(texts: readonly string[], role: EncoderRole = "passage"): Promise<Float32Array[]> {
    if (this.background) return this.background.embed(texts, role);
    const vectors: Float32Array[] = [];
    for (const text of texts) {
      // Searches first, but a process that is never idle still finishes the request.
      const since = performance.now();
      do await nextTurn();
      while (interactiveEmbeds > 0 && performance.now() - since < BACKGROUND_MAX_WAIT_MS);
      const [vector] = await this.inner.embed([text], role);
      vectors.push(vector!);
    }
    return vectors;
  }

  async close(): Promise<void> {
    await this.background?.close();
  }

  async embedOne(text: string, role: EncoderRole = "query"): Promise<Float32Array> {
    const [vector] = await this.embed([text], role);
    return vector!;
  }
}

export const DEFAULT_ENCODER_DIR = "model/minilm-l6-en";

export async function loadSentenceEncoder(dir = DEFAULT_ENCODER_DIR, file?: string): Promise<SentenceEncoder> {
  return loadEncoder(dir, file ? { file } : {});
}
