import { stemmer } from "stemmer";
import type { Article } from "~/articles/article-schema";
import { passesFilter, type ArticleFilter } from "../article-filter";
import { queryTerms } from "../text";

type IndexedArticle = Pick<Article, "slug" | "title" | "questions" | "audience" | "locale" | "category">;

export interface PhrasingMatch {
  slug: string;
  /** TF-IDF cosine of the query to the article's closest written phrasing (0..1). */
  score: number;
  /** That phrasing: the title or one of the front-matter `questions`. */
  phrasing: string;
}

export interface PhrasingScores {
  /** The k best articles that pass the filter, best first. */
  top(filter: ArticleFilter, k: number): PhrasingMatch[];
  /** One article's match; undefined when none of its phrasings shares a term with the query. */
  get(slug: string): PhrasingMatch | undefined;
}

/** Stemmed content words: "Cancelling my orders" -> ["cancel", "order"]. */
export function phrasingTerms(text: string): string[] {
  return queryTerms(text).map((term) => stemmer(term));
}

interface Posting {
  unit: number;
  weight: number;
}

/**
 * How closely a query's words match the ways customers ask for each article: every article's
 * title and written `questions` as a TF-IDF vector (stemmed words, log term frequency, smoothed
 * IDF over all phrasings), scored by cosine; an article scores its closest phrasing.
 * Cosine normalises by length, so a short phrasing that a query covers well scores high where
 * BM25 over the whole article would favour long articles that repeat a word (docs/decisions/005).
 */
export class PhrasingIndex {
  private constructor(
    private readonly articles: IndexedArticle[],
    private readonly bySlug: Map<string, number>,
    private readonly unitArticle: Int32Array,
    private readonly unitText: string[],
    private readonly postings: Map<string, Posting[]>,
    private readonly idf: (term: string) => number,
  ) {}

  static build(articles: readonly IndexedArticle[]): PhrasingIndex {
    const unitArticle: number[] = [];
    const unitText: string[] = [];
    const unitCounts: Map<string, number>[] = [];
    articles.forEach((article, a) => {
      for (const text of [article.title, ...article.questions]) {
        const counts = termCounts(phrasingTerms(text));
        if (!counts.size) continue;
        unitArticle.push(a);
        unitText.push(text);
        unitCounts.push(counts);
      }
    });
    const documentFrequency = new Map<string, number>();
    for (const counts of unitCounts) {
      for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
    const units = unitCounts.length;
    const idf = (term: string) => Math.log((units + 1) / ((documentFrequency.get(term) ?? 0) + 1)) + 1;
    const postings = new Map<string, Posting[]>();
    unitCounts.forEach((counts, unit) => {
      for (const [term, weight] of tfIdfVector(counts, idf)) {
        let list = postings.get(term);
        if (!list) postings.set(term, (list = []));
        list.push({ unit, weight });
      }
    });
    return new PhrasingIndex([...articles], new Map(articles.map((a, i) => [a.slug, i])), Int32Array.from(unitArticle), unitText, postings, idf);
  }

  get size(): number {
    return this.unitText.length;
  }

  score(query: string): PhrasingScores {
    const best = new Map<number, { score: number; unit: number }>();
    const unitScores = new Map<number, number>();
    for (const [term, weight] of tfIdfVector(termCounts(phrasingTerms(query)), this.idf)) {
      for (const posting of this.postings.get(term) ?? []) {
        unitScores.set(posting.unit, (unitScores.get(posting.unit) ?? 0) + weight * posting.weight);
      }
    }
    for (const [unit, score] of unitScores) {
      const a = this.unitArticle[unit]!;
      const current = best.get(a);
      if (!current || score > current.score) best.set(a, { score, unit });
    }
    const match = (a: number): PhrasingMatch => {
      const { score, unit } = best.get(a)!;
      return { slug: this.articles[a]!.slug, score: Math.min(1, score), phrasing: this.unitText[unit]! };
    };
    return {
      top: (filter, k) =>
        [...best.keys()]
          .filter((a) => passesFilter(this.articles[a]!, filter))
          .sort((x, y) => best.get(y)!.score - best.get(x)!.score || x - y)
          .slice(0, k)
          .map(match),
      get: (slug) => {
        const a = this.bySlug.get(slug);
        return a === undefined || !best.has(a) ? undefined : match(a);
      },
    };
  }
}

function termCounts(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/** L2-normalised (1 + log tf) · idf weights. */
function tfIdfVector(counts: ReadonlyMap<string, number>, idf: (term: string) => number): Map<string, number> {
  const vector = new Map<string, number>();
  let norm = 0;
  for (const [term, count] of counts) {
    const weight = (1 + Math.log(count)) * idf(term);
    vector.set(term, weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [term, weight] of vector) vector.set(term, weight / norm);
  return vector;
}
