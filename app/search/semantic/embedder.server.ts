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
      const vectors = await this.inner.embed(missing, role);
      missing.forEach((text, i) => this.cache.set(key(text), vectors[i]!));
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
