import type { Article, Audience, Locale } from "~/articles/article-schema";

/** Which articles a request may see: its surface's audiences, one locale, one category. */
export interface ArticleFilter {
  audiences: readonly Audience[];
  locale?: Locale;
  category?: string;
}

export function passesFilter(article: Pick<Article, "audience" | "locale" | "category">, filter: ArticleFilter): boolean {
  return (
    filter.audiences.includes(article.audience) &&
    (!filter.locale || article.locale === filter.locale) &&
    (!filter.category || article.category === filter.category)
  );
}
