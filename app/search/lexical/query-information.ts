import type { Article } from "~/articles/article-schema";
import { phrasingTerms } from "./phrasing-index";

type CountedArticle = Pick<Article, "slug" | "title" | "tags" | "questions" | "bodyText">;

/**
 * How much a query says, and how much of it each article contains, from the articles' words
 * (stemmed content words, as the phrasing index reads them): a word's information is its
 * inverse document frequency over the articles, so "order" (in most articles) says little and
 * "restocking" a lot. Presets use both (docs/decisions/007): a query that says little is steered
 * more, and a preset never lifts an article that contains less of the query than the best match.
 */
export class QueryInformation {
  private constructor(
    private readonly termsBySlug: ReadonlyMap<string, ReadonlySet<string>>,
    private readonly documentFrequency: ReadonlyMap<string, number>,
    private readonly articles: number,
  ) {}

  static build(articles: readonly CountedArticle[]): QueryInformation {
    const termsBySlug = new Map<string, Set<string>>();
    const documentFrequency = new Map<string, number>();
    for (const a of articles) {
      const terms = new Set(phrasingTerms([a.title, a.tags.join(" "), a.questions.join(" "), a.bodyText].join("\n")));
      termsBySlug.set(a.slug, terms);
      for (const t of terms) documentFrequency.set(t, (documentFrequency.get(t) ?? 0) + 1);
    }
    return new QueryInformation(termsBySlug, documentFrequency, articles.length);
  }

  /** The query's content words, stemmed, once each; digits alone (order numbers, amounts) say nothing about the topic. */
  terms(query: string): string[] {
    return [...new Set(phrasingTerms(query).filter((t) => !/^\d+$/.test(t)))];
  }

  /** Smoothed IDF in nats; a word no article has gets the largest value (it is as specific as words get). */
  idf(term: string): number {
    return Math.log((this.articles + 1) / ((this.documentFrequency.get(term) ?? 0) + 1)) + 1;
  }

  /** What the query says: the sum of its words' IDF (0 for a query with no content word). */
  information(terms: readonly string[]): number {
    return terms.reduce((sum, t) => sum + this.idf(t), 0);
  }

  /** Share (0..1) of the query's information that the article's text contains; 1 for a query with no content word. */
  coverage(terms: readonly string[], slug: string): number {
    return this.share(terms, this.information(terms), slug);
  }

  /** A query read once per search: what it says, and a coverage for each candidate without summing it again. */
  measure(query: string): { information: number; coverage(slug: string): number } {
    const terms = this.terms(query);
    const information = this.information(terms);
    return { information, coverage: (slug) => this.share(terms, information, slug) };
  }

  private share(terms: readonly string[], information: number, slug: string): number {
    if (information <= 0) return 1;
    const own = this.termsBySlug.get(slug);
    if (!own) return 0;
    return terms.reduce((sum, t) => sum + (own.has(t) ? this.idf(t) : 0), 0) / information;
  }
}
