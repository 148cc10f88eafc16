import { LRUCache } from "lru-cache";
import type { Article, Audience, Locale } from "~/articles/article-schema";
import type { ArticleStore } from "~/articles/store.server";
import { passesFilter, type ArticleFilter } from "../article-filter";
import { rowProducts } from "../../../model/row-products";
import type { Embedder } from "./embedder.server";
import { embeddingUnits, type UnitKind } from "./embedding-units";
import type { VectorStore } from "./vector-store.server";

/** How many of an article's best units are averaged into its score. */
export const TOP_UNITS = 3;

interface IndexedArticle {
  slug: string;
  audience: Audience;
  locale: Locale;
  category: string;
  titleRow: number;
}

export interface SemanticMatch {
  slug: string;
  /** Mean cosine similarity of the article's best units (see TOP_UNITS). */
  score: number;
  /** The single best unit. */
  best: { kind: UnitKind; position: number };
}


export interface SemanticScores {
  /** The k best articles that pass the filter, best first. */
  top(filter: ArticleFilter, k: number): SemanticMatch[];
  /** One article's score; undefined for articles the index does not hold (e.g. Chinese ones). */
  get(slug: string): SemanticMatch | undefined;
}

export interface BuildStats {
  articles: number;
  units: number;
  embedded: number;
  ms: number;
}

/**
 * Every unit vector of every article in one matrix; queries are scored by brute-force dot products,
 * run by onnxruntime (model/row-products.ts: 4,741 rows × 384 dims in 0.2 ms).
 */
export class SemanticIndex {
  /** Scores of recent recurring texts (instruction topics), for this build of the index only. */
  private readonly recurring = new LRUCache<string, Promise<SemanticScores>>({ max: 64 });

  private constructor(
    readonly modelId: string,
    /** Article locales the encoder understands (its helprank-encoder.json); others are not indexed. */
    readonly locales: readonly string[],
    readonly dims: number,
    private readonly matrix: Float32Array,
    private readonly rowArticle: Int32Array,
    private readonly rowKind: UnitKind[],
    private readonly rowPosition: Int32Array,
    private readonly articles: IndexedArticle[],
    private readonly bySlug: Map<string, number>,
    readonly stats: BuildStats,
  ) {}

  get size(): number {
    return this.rowArticle.length;
  }

  /**
   * Loads stored vectors of every article's units, embeds (and stores) the missing ones; only
   * texts that changed since the last build are embedded.
   */
  static async build(
    allArticles: readonly Article[],
    store: ArticleStore,
    vectors: VectorStore,
    embedder: Embedder,
    onProgress?: (done: number, total: number) => void,
    /** Locales this index serves; default: every locale the encoder understands. */
    locales: readonly string[] = embedder.locales,
  ): Promise<SemanticIndex> {
    const started = performance.now();
    const articles = allArticles.filter((a) => locales.includes(a.locale));
    const units = articles.map((a) => embeddingUnits(a, store.passages(a.id)));
    const allHashes = [...new Set(units.flat().map((u) => u.hash))];
    const known = vectors.getMany(allHashes, embedder.modelId);
    const textByHash = new Map(units.flat().map((u) => [u.hash, u.text]));
    const missing = allHashes.filter((h) => !known.has(h));
    const BATCH = 64;
    for (let i = 0; i < missing.length; i += BATCH) {
      const batch = missing.slice(i, i + BATCH);
      const embedded = await embedder.embed(batch.map((h) => textByHash.get(h)!), "passage");
      const entries = batch.map((h, j) => [h, embedded[j]!] as [string, Float32Array]);
      vectors.putMany(entries, embedder.modelId);
      for (const [h, v] of entries) known.set(h, v);
      onProgress?.(Math.min(i + BATCH, missing.length), missing.length);
    }

    const rows = units.reduce((n, list) => n + list.length, 0);
    const dims = known.values().next().value?.length ?? 512;
    const matrix = new Float32Array(rows * dims);
    const rowArticle = new Int32Array(rows);
    const rowPosition = new Int32Array(rows);
    const rowKind: UnitKind[] = [];
    const indexed: IndexedArticle[] = [];
    let row = 0;
    articles.forEach((article, a) => {
      indexed.push({ slug: article.slug, audience: article.audience, locale: article.locale, category: article.category, titleRow: row });
      for (const unit of units[a]!) {
        matrix.set(known.get(unit.hash)!, row * dims);
        rowArticle[row] = a;
        rowPosition[row] = unit.position;
        rowKind.push(unit.kind);
        row++;
      }
    });
    return new SemanticIndex(
      embedder.modelId,
      locales,
      dims,
      matrix,
      rowArticle,
      rowKind,
      rowPosition,
      indexed,
      new Map(indexed.map((a, i) => [a.slug, i])),
      { articles: articles.length, units: rows, embedded: missing.length, ms: performance.now() - started },
    );
  }

  /**
   * Scores every article against a query vector once; read the result as often as needed.
   * An article's score is the mean of its TOP_UNITS best unit similarities: several units that
   * agree (a question, the title, a passage) beat one lucky match (docs/decisions/003).
   */
  async score(query: Float32Array): Promise<SemanticScores> {
    const n = this.articles.length;
    const top = new Float32Array(n * TOP_UNITS).fill(-Infinity);
    const bestRow = new Int32Array(n).fill(-1);
    const similarities = await rowProducts(query, this.matrix);
    for (let row = 0; row < this.rowArticle.length; row++) {
      const s = similarities[row]!;
      const a = this.rowArticle[row]!;
      const base = a * TOP_UNITS;
      if (s <= top[base + TOP_UNITS - 1]!) continue;
      let i = TOP_UNITS - 1;
      while (i > 0 && s > top[base + i - 1]!) {
        top[base + i] = top[base + i - 1]!;
        i--;
      }
      top[base + i] = s;
      if (i === 0) bestRow[a] = row;
    }
    const score = new Float32Array(n).fill(-Infinity);
    for (let a = 0; a < n; a++) {
      let sum = 0;
      let count = 0;
      for (let i = 0; i < TOP_UNITS; i++) {
        const v = top[a * TOP_UNITS + i]!;
        if (v === -Infinity) break;
        sum += v;
        count++;
      }
      if (count) score[a] = sum / count;
    }
    const match = (a: number): SemanticMatch => {
      const row = bestRow[a]!;
      return {
        slug: this.articles[a]!.slug,
        score: score[a]!,
        best: { kind: this.rowKind[row]!, position: this.rowPosition[row]! },
      };
    };
    return {
      top: (filter, k) => {
        if (filter.locale && !this.supports(filter.locale)) return [];
        const eligible: number[] = [];
        this.articles.forEach((article, a) => {
          if (passesFilter(article, filter) && bestRow[a]! >= 0) eligible.push(a);
        });
        eligible.sort((x, y) => score[y]! - score[x]! || x - y);
        return eligible.slice(0, k).map(match);
      },
      get: (slug) => {
        const a = this.bySlug.get(slug);
        return a !== undefined && bestRow[a]! >= 0 ? match(a) : undefined;
      },
    };
  }

  /**
   * The scores of a text that comes back search after search — a preset's standing instruction
   * steers every search on its surface — computed once per index build instead of once per
   * search. Concurrent first calls share one computation; a failed one is not kept.
   */
  scoreRecurring(text: string, embed: (text: string) => Promise<Float32Array>): Promise<SemanticScores> {
    const known = this.recurring.get(text);
    if (known) return known;
    const scores = embed(text).then((vector) => this.score(vector));
    this.recurring.set(text, scores);
    scores.catch(() => {
      if (this.recurring.get(text) === scores) this.recurring.delete(text);
    });
    return scores;
  }

  supports(locale: Locale): boolean {
    return this.locales.includes(locale);
  }

  has(slug: string): boolean {
    return this.bySlug.has(slug);
  }
}
