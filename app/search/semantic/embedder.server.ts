import { LRUCache } from "lru-cache";
import type { EncoderThread } from "../../../model/encoder-thread";
import { loadSentenceEncoder as loadEncoder, type EncoderRole, type SentenceEncoder } from "../../../model/sentence-encoder";

export type { EncoderRole } from "../../../model/sentence-encoder";

/** Turns texts into L2-normalised vectors (dot product = cosine); queries and passages may differ. */
export interface Embedder {
  readonly modelId: string;
  /** Article locales the model understands. */
  readonly locales: readonly string[];
  embed(texts: readonly string[], role?: EncoderRole): Promise<Float32Array[]>;
}

/** Query vectors kept where other processes find them too (QueryVectorStore). */
export interface SharedQueryVectors {
  get(role: EncoderRole, text: string, modelId: string): Float32Array | undefined;
  /** Never rejects: a vector not stored costs a later encode, not a search. */
  put(role: EncoderRole, text: string, modelId: string, vector: Float32Array): Promise<void>;
}

/**
 * Remembers the vectors of recent texts: repeated queries and instructions cost nothing. With
 * `shared`, query vectors missing here are looked up there, and new ones are stored there too.
 */
export class CachedEmbedder implements Embedder {
  private readonly cache: LRUCache<string, Float32Array>;

  private readonly background: Pick<EncoderThread, "embed" | "close"> | undefined;
  private readonly shared: SharedQueryVectors | undefined;

  /** `background`: the same model on a thread of its own, for embedInBackground. */
  constructor(
    private readonly inner: Embedder,
    options: { max?: number; background?: Pick<EncoderThread, "embed" | "close">; shared?: SharedQueryVectors } = {},
  ) {
    this.cache = new LRUCache({ max: options.max ?? 2000 });
    this.background = options.background;
    this.shared = options.shared;
  }

  get modelId(): string {
    return this.inner.modelId;
  }

  get locales(): readonly string[] {
    return this.inner.locales;
  }

  async embed(texts: readonly string[], role: EncoderRole = "passage"): Promise<Float32Array[]> {
    const key = (t: string) => `${role}\u0000${t}`;
    let missing = [...new Set(texts.filter((t) => !this.cache.has(key(t))))];
    const shared = role === "query" ? this.shared : undefined;
    if (shared && missing.length) {
      missing = missing.filter((text) => {
        const vector = shared.get(role, text, this.modelId);
        if (vector) this.cache.set(key(text), vector);
        return !vector;
      });
    }
    if (missing.length) {
      const vectors = await this.inner.embed(missing, role);
      missing.forEach((text, i) => {
        this.cache.set(key(text), vectors[i]!);
        void shared?.put(role, text, this.modelId, vectors[i]!);
      });
    }
    return texts.map((t) => this.cache.get(key(t))!);
  }

  /**
   * Vectors of one-off texts (documents sent to the rerank API), never remembered: on the
   * encoder's own thread when it has one (the app's services always give it one), so searches go
   * on meanwhile (docs/decisions/010); else on this thread.
   */
  embedInBackground(texts: readonly string[], role: EncoderRole = "passage"): Promise<Float32Array[]> {
    return this.background ? this.background.embed(texts, role) : this.inner.embed(texts, role);
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
