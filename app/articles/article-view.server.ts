import type { Services } from "~/services.server";
import type { Article, Audience, Locale } from "./article-schema";
import { tableOfContents } from "./markdown.server";
import type { ArticleSummary } from "./store.server";

export interface ArticleView {
  slug: string;
  title: string;
  category: { slug: string; name: string };
  locale: Locale;
  updated: string;
  audience: Audience;
  /** Sanitised when the article was imported (markdown.server.ts). */
  html: string;
  toc: { id: string; text: string }[];
  related: ArticleSummary[];
  /** The same article in the other language, when this reader may see it. */
  translation: ArticleSummary | null;
}

/** What an article page shows; links to articles these audiences may not see are left out. */
export function articleView(services: Services, article: Article, audiences: readonly Audience[]): ArticleView {
  const { store, categories } = services;
  return {
    slug: article.slug,
    title: article.title,
    category: { slug: article.category, name: categories.label(article.category, article.locale).name },
    locale: article.locale,
    updated: article.updated,
    audience: article.audience,
    html: article.bodyHtml,
    toc: tableOfContents(article.bodyHtml),
    related: store.summaries(article.related, audiences),
    translation: article.translation ? (store.summaries([article.translation], audiences)[0] ?? null) : null,
  };
}
