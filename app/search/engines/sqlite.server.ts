import type { Db } from "~/db/db.server";
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  highlightToHtml,
  queryTerms,
  segmentForIndex,
} from "../text";
import type {
  IndexDocument,
  KeywordHit,
  KeywordQuery,
  KeywordResult,
  SearchEngine,
} from "./engine";

/** BM25 column weights: a match in the title counts most, then tags, then the body. */
export const FIELD_WEIGHTS = { title: 10, tags: 5, questions: 3, body: 1 } as const;
const SNIPPET_TOKENS = 28;

/** Terms are quoted (no FTS5 syntax gets through) and OR-ed; BM25 rewards matching more of them. */
export function toFtsQuery(text: string): string | undefined {
  const terms = queryTerms(text);
  if (!terms.length) return undefined;
  const endsMidWord = /[\p{L}\p{N}]$/u.test(text.trim());
  return terms
    .map((term, i) => {
      const quoted = `"${term.replaceAll('"', '""')}"`;
      // The last word may be unfinished (search-as-you-type): match it as a prefix too.
      const isLast = i === terms.length - 1;
      return isLast && endsMidWord && term.length >= 3 && /^[\p{Script=Latin}\p{N}]+$/u.test(term)
        ? `${quoted}*`
        : quoted;
    })
    .concat(phraseClauses(text))
    .join(" OR ");
}

/**
 * The query's adjacent word pairs, and a short query as a whole, as phrases ("where is my
 * package" -> "my package", "where is my package"): documents that keep the query's words
 * together score higher, like a proximity rule.
 */
function phraseClauses(text: string): string[] {
  const words = text.normalize("NFKC").toLowerCase().match(/[\p{Script=Latin}\p{N}]+/gu) ?? [];
  const content = new Set(queryTerms(text));
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < words.length; i++) {
    const [a, b] = [words[i]!, words[i + 1]!];
    if (content.has(a) || content.has(b)) pairs.add(`"${a} ${b}"`);
  }
  if (words.length > 2 && words.length <= 8) pairs.add(`"${words.join(" ")}"`);
  return [...pairs];
}

export class SqliteEngine implements SearchEngine {
  readonly name = "sqlite" as const;

  constructor(private readonly db: Db) {}

  /** The FTS5 table is created by migration 002; nothing else to prepare. */
  async init(): Promise<void> {}

  async index(documents: IndexDocument[]): Promise<void> {
    const remove = this.db.prepare("DELETE FROM articles_fts WHERE slug = ?");
    const insert = this.db.prepare(
      `INSERT INTO articles_fts (title, tags, questions, body, slug, audience, locale, category)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction((docs: IndexDocument[]) => {
      for (const doc of docs) {
        remove.run(doc.slug);
        insert.run(
          segmentForIndex(doc.title),
          segmentForIndex(doc.tags.join(", ")),
          segmentForIndex(doc.questions.join("\n")),
          segmentForIndex(doc.body),
          doc.slug,
          doc.audience,
          doc.locale,
          doc.category,
        );
      }
    })(documents);
  }

  async remove(slugs: string[]): Promise<void> {
    const remove = this.db.prepare("DELETE FROM articles_fts WHERE slug = ?");
    this.db.transaction((list: string[]) => list.forEach((slug) => remove.run(slug)))(slugs);
  }

  async clear(): Promise<void> {
    this.db.exec("DELETE FROM articles_fts");
  }

  async count(): Promise<number> {
    return this.db.prepare("SELECT count(*) FROM articles_fts").pluck().get() as number;
  }

  async search(query: KeywordQuery): Promise<KeywordResult> {
    const match = toFtsQuery(query.text);
    if (!match) return { hits: [], total: 0 };
    const filters = ["articles_fts MATCH @match", "audience IN (SELECT value FROM json_each(@audiences))"];
    if (query.locale) filters.push("locale = @locale");
    if (query.category) filters.push("category = @category");
    const where = filters.join(" AND ");
    const params = {
      match,
      audiences: JSON.stringify(query.audiences),
      locale: query.locale ?? null,
      category: query.category ?? null,
      limit: query.limit,
      offset: query.offset,
      start: HIGHLIGHT_START,
      end: HIGHLIGHT_END,
    };
    const { title, tags, questions, body } = FIELD_WEIGHTS;
    const weights = `${title}, ${tags}, ${questions}, ${body}`;
    const rows = this.db
      .prepare(
        `SELECT slug, audience, locale, category,
           -bm25(articles_fts, ${weights}) AS score,
           highlight(articles_fts, 0, @start, @end) AS title_marked,
           snippet(articles_fts, 3, @start, @end, '…', ${SNIPPET_TOKENS}) AS snippet_marked
         FROM articles_fts WHERE ${where}
         ORDER BY bm25(articles_fts, ${weights}), slug
         LIMIT @limit OFFSET @offset`,
      )
      .all(params) as {
      slug: string;
      audience: KeywordHit["audience"];
      locale: KeywordHit["locale"];
      category: string;
      score: number;
      title_marked: string;
      snippet_marked: string;
    }[];
    const total = this.db
      .prepare(`SELECT count(*) FROM articles_fts WHERE ${where}`)
      .pluck()
      .get(params) as number;
    return {
      total,
      hits: rows.map((row, i) => ({
        slug: row.slug,
        title: stripMarks(row.title_marked),
        category: row.category,
        audience: row.audience,
        locale: row.locale,
        rank: query.offset + i + 1,
        score: row.score,
        titleHtml: highlightToHtml(row.title_marked),
        snippetHtml: highlightToHtml(row.snippet_marked),
      })),
    };
  }
}

function stripMarks(text: string): string {
  return text.replace(/[\u0001\u0002\u200b]/g, "");
}
