import { LRUCache } from "lru-cache";
import { SentenceEncoder } from "../../../model/sentence-encoder";

export { dot } from "../../../model/sentence-encoder";

/** Turns texts into L2-normalised vectors (dot product = cosine). */
export interface Embedder {
  readonly modelId: string;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Remembers the vectors of recent texts: repeated queries and instructions cost nothing. */
export class CachedEmbedder implements Embedder {
  private readonly cache: LRUCache<string, Float32Array>;

  constructor(
    private readonly inner: Embedder,
    max = 2000,
  ) {
    this.cache = new LRUCache({ max });
  }

  get modelId(): string {
    return this.inner.modelId;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.cache.has(t)))];
    if (missing.length) {
      const vectors = await this.inner.embed(missing);
      missing.forEach((text, i) => this.cache.set(text, vectors[i]!));
    }
    return texts.map((t) => this.cache.get(t)!);
  }

  async embedOne(text: string): Promise<Float32Array> {
    const [vector] = await this.embed([text]);
    return vector!;
  }
}

export const DEFAULT_ENCODER_DIR = "model/use-lite-en";

export async function loadSentenceEncoder(dir = DEFAULT_ENCODER_DIR, file?: string): Promise<SentenceEncoder> {
  return SentenceEncoder.load(dir, file ? { file } : {});
}
