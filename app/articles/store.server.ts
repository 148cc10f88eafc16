import { statementCache, type Db } from "~/db/db.server";
import type { Article, Audience, Locale, Passage } from "./article-schema";
import type { ParsedArticle } from "./parse-article.server";

interface ArticleRow {
  id: number;
  slug: string;
  title: string;
  category: string;
  tags: string;
  questions: string;
  related: string;
  translation: string | null;
  audience: Audience;
  locale: Locale;
  updated: string;
  body_markdown: string;
  body_html: string;
  body_text: string;
  source_path: string;
  content_hash: string;
}

function toArticle(row: ArticleRow): Article {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    category: row.category,
    tags: JSON.parse(row.tags) as string[],
    questions: JSON.parse(row.questions) as string[],
    related: JSON.parse(row.related) as string[],
    ...(row.translation ? { translation: row.translation } : {}),
    audience: row.audience,
    locale: row.locale,
    updated: row.updated,
    bodyMarkdown: row.body_markdown,
    bodyHtml: row.body_html,
    bodyText: row.body_text,
    sourcePath: row.source_path,
    contentHash: row.content_hash,
  };
}

export interface ArticleSummary {
  slug: string;
  title: string;
  category: string;
  locale: Locale;
  updated: string;
}

/** What a search result shows of an article (the body stays in the database). */
export interface ArticleListing extends ArticleSummary {
  id: number;
  audience: Audience;
}

export interface StoredVersion {
  slug: string;
  sourcePath: string;
  contentHash: string;
}

/** The system of record for articles and their passages (SQLite). */
export class ArticleStore {
  /** Statements on every search's path, compiled once. */
  private readonly statement: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.statement = statementCache(db);
  }

  count(): number {
    return this.db.prepare("SELECT count(*) FROM articles").pluck().get() as number;
  }

  versions(): StoredVersion[] {
    return this.db
      .prepare("SELECT slug, source_path AS sourcePath, content_hash AS contentHash FROM articles")
      .all() as StoredVersion[];
  }

  getBySlug(slug: string): Article | undefined {
    const row = this.db.prepare("SELECT * FROM articles WHERE slug = ?").get(slug) as
      | ArticleRow
      | undefined;
    return row && toArticle(row);
  }

  getManyBySlug(slugs: string[]): Map<string, Article> {
    const out = new Map<string, Article>();
    if (!slugs.length) return out;
    const rows = this.statement(`SELECT * FROM articles WHERE slug IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(slugs)) as ArticleRow[];
    for (const row of rows) out.set(row.slug, toArticle(row));
    return out;
  }

  /** The listings of a page of search results, by slug (unknown slugs are left out). */
  listingsBySlug(slugs: readonly string[]): Map<string, ArticleListing> {
    if (!slugs.length) return new Map();
    const rows = this.statement(
      `SELECT id, slug, title, category, audience, locale, updated FROM articles WHERE slug IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(slugs)) as ArticleListing[];
    return new Map(rows.map((row) => [row.slug, row]));
  }

  /** An article's plain text, or one passage's when `passage` is given and exists. */
  bodyText(articleId: number, passage?: number): string | undefined {
    if (passage !== undefined) {
      const text = this.statement("SELECT text FROM passages WHERE article_id = ? AND position = ?").get(articleId, passage) as { text: string } | undefined;
      if (text) return text.text;
    }
    return (this.statement("SELECT body_text AS text FROM articles WHERE id = ?").get(articleId) as { text: string } | undefined)?.text;
  }

  all(): Article[] {
    return (this.db.prepare("SELECT * FROM articles ORDER BY slug").all() as ArticleRow[]).map(
      toArticle,
    );
  }

  /** Categories with at least one article these audiences may see (in `locale`, when given). */
  categories(audiences: readonly Audience[], locale?: Locale): { category: string; count: number }[] {
    return this.db
      .prepare(
        `SELECT category, count(*) AS count FROM articles
         WHERE audience IN (SELECT value FROM json_each(?)) AND (? IS NULL OR locale = ?)
         GROUP BY category ORDER BY category`,
      )
      .all(JSON.stringify(audiences), locale ?? null, locale ?? null) as { category: string; count: number }[];
  }

  /**
   * Short descriptions of the given articles that these audiences may see, in the order asked
   * for; slugs that are unknown or hidden from them are left out.
   */
  summaries(slugs: readonly string[], audiences: readonly Audience[]): ArticleSummary[] {
    if (!slugs.length) return [];
    const rows = this.db
      .prepare(
        `SELECT slug, title, category, locale, updated FROM articles
         WHERE slug IN (SELECT value FROM json_each(?)) AND audience IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(slugs), JSON.stringify(audiences)) as ArticleSummary[];
    const bySlug = new Map(rows.map((r) => [r.slug, r]));
    return slugs.flatMap((slug) => bySlug.get(slug) ?? []);
  }

  listCategory(category: string, audiences: readonly Audience[], locale?: Locale): ArticleSummary[] {
    return this.db
      .prepare(
        `SELECT slug, title, category, locale, updated FROM articles
         WHERE category = ? AND audience IN (SELECT value FROM json_each(?)) AND (? IS NULL OR locale = ?)
         ORDER BY locale, title`,
      )
      .all(category, JSON.stringify(audiences), locale ?? null, locale ?? null) as ArticleSummary[];
  }

  passages(articleId: number): Passage[] {
    return this.db
      .prepare(
        `SELECT position, heading, text, content_hash AS contentHash
         FROM passages WHERE article_id = ? ORDER BY position`,
      )
      .all(articleId) as Passage[];
  }

  /** Inserts or replaces an article and its passages; returns the stored article. */
  upsert(article: ParsedArticle): Article {
    const write = this.db.transaction((input: ParsedArticle) => {
      const id = this.db
        .prepare(
          `INSERT INTO articles (slug, title, category, tags, questions, related, translation, audience, locale, updated,
             body_markdown, body_html, body_text, source_path, content_hash)
           VALUES (@slug, @title, @category, @tags, @questions, @related, @translation, @audience, @locale, @updated,
             @bodyMarkdown, @bodyHtml, @bodyText, @sourcePath, @contentHash)
           ON CONFLICT (slug) DO UPDATE SET
             title = excluded.title, category = excluded.category, tags = excluded.tags,
             questions = excluded.questions, related = excluded.related, translation = excluded.translation,
             audience = excluded.audience, locale = excluded.locale, updated = excluded.updated,
             body_markdown = excluded.body_markdown, body_html = excluded.body_html,
             body_text = excluded.body_text, source_path = excluded.source_path,
             content_hash = excluded.content_hash,
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
           RETURNING id`,
        )
        .pluck()
        .get({
          ...input,
          tags: JSON.stringify(input.tags),
          questions: JSON.stringify(input.questions),
          related: JSON.stringify(input.related),
          translation: input.translation ?? null,
        }) as number;
      this.db.prepare("DELETE FROM passages WHERE article_id = ?").run(id);
      const insertPassage = this.db.prepare(
        `INSERT INTO passages (article_id, position, heading, text, content_hash)
         VALUES (?, ?, ?, ?, ?)`,
      );
      for (const p of input.passages) {
        insertPassage.run(id, p.position, p.heading, p.text, p.contentHash);
      }
      return id;
    });
    const id = write.immediate(article);
    return this.getBySlug(article.slug) ?? failMissing(article.slug, id);
  }

  remove(slugs: string[]): number {
    const del = this.db.prepare("DELETE FROM articles WHERE slug = ?");
    return this.db.transaction((list: string[]) =>
      list.reduce((n, slug) => n + del.run(slug).changes, 0),
    ).immediate(slugs);
  }
}

function failMissing(slug: string, id: number): never {
  throw new Error(`article ${slug} (id ${id}) vanished right after it was written`);
}
