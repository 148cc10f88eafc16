import { statementCache, type Db } from "~/db/db.server";
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  highlightToHtml,
  queryTerms,
  segmentForIndex,
} from "../text";
import type Database from "better-sqlite3";
import type {
  HitMarks,
  IndexDocument,
  KeywordHit,
  KeywordQuery,
  KeywordResult,
  SearchEngine,
} from "./engine";

/**
 * Weights of each field's own BM25 score in the keyword score (the weights of a plain BM25 peer,
 * MiniSearch with title ×2, tags and questions ×1.5; docs/decisions/001): a match in a short
 * field counts most, and each field is length-normalised on its own.
 */
export const FIELD_WEIGHTS = { title: 2, tags: 1.5, questions: 1.5, body: 1 } as const;
const FIELDS = Object.keys(FIELD_WEIGHTS) as (keyof typeof FIELD_WEIGHTS)[];
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
  /** A search runs the same few statements every time. */
  private readonly statement: (sql: string) => Database.Statement;

  constructor(private readonly db: Db) {
    this.statement = statementCache(db);
  }

  /** The FTS5 table is created by migration 002; nothing else to prepare. */
  async init(): Promise<void> {}

  async index(documents: IndexDocument[]): Promise<void> {
    const insert = this.db.prepare(
      `INSERT INTO articles_fts (title, tags, questions, body, slug, audience, locale, category)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertField = Object.fromEntries(
      FIELDS.map((field) => [field, this.db.prepare(`INSERT INTO articles_fts_${field} (text, slug) VALUES (?, ?)`)]),
    );
    this.db.transaction((docs: IndexDocument[]) => {
      this.removeEach(docs.map((d) => d.slug));
      for (const doc of docs) {
        const text = {
          title: segmentForIndex(doc.title),
          tags: segmentForIndex(doc.tags.join(", ")),
          questions: segmentForIndex(doc.questions.join("\n")),
          body: segmentForIndex(doc.body),
        };
        insert.run(text.title, text.tags, text.questions, text.body, doc.slug, doc.audience, doc.locale, doc.category);
        for (const field of FIELDS) insertField[field]!.run(text[field], doc.slug);
      }
    }).immediate(documents);
  }

  async remove(slugs: string[]): Promise<void> {
    this.db.transaction((list: string[]) => this.removeEach(list)).immediate(slugs);
  }

  private removeEach(slugs: string[]): void {
    for (const table of ["articles_fts", ...FIELDS.map((f) => `articles_fts_${f}`)]) {
      const remove = this.db.prepare(`DELETE FROM ${table} WHERE slug = ?`);
      for (const slug of slugs) remove.run(slug);
    }
  }

  async clear(): Promise<void> {
    for (const table of ["articles_fts", ...FIELDS.map((f) => `articles_fts_${f}`)]) this.db.exec(`DELETE FROM ${table}`);
  }

  async count(): Promise<number> {
    return this.db.prepare("SELECT count(*) FROM articles_fts").pluck().get() as number;
  }

  async search(query: KeywordQuery): Promise<KeywordResult> {
    const match = toFtsQuery(query.text);
    if (!match) return { hits: [], total: 0, marks: async () => new Map() };
    const filters = ["articles_fts MATCH @match", "audience IN (SELECT value FROM json_each(@audiences))"];
    if (query.locale) filters.push("locale = @locale");
    if (query.category) filters.push("category = @category");
    const params = {
      match,
      audiences: JSON.stringify(query.audiences),
      ...(query.locale ? { locale: query.locale } : {}),
      ...(query.category ? { category: query.category } : {}),
    };
    // The articles that match and pass the filters, then each field's own BM25 (-bm25(): higher
    // is better), weighted and summed per article. Small separate queries stay fast; one query
    // joining the five tables did not (FTS5 cannot look rows up by an UNINDEXED column).
    const eligible = this.statement(`SELECT slug, audience, locale, category, title FROM articles_fts WHERE ${filters.join(" AND ")}`)
      .all(params) as Pick<KeywordHit, "slug" | "audience" | "locale" | "category" | "title">[];
    const scores = new Map(eligible.map((row) => [row.slug, 0]));
    for (const field of FIELDS) {
      const rows = this.statement(`SELECT slug, -bm25(articles_fts_${field}) AS score FROM articles_fts_${field} WHERE articles_fts_${field} MATCH ?`)
        .all(match) as { slug: string; score: number }[];
      for (const row of rows) {
        const sum = scores.get(row.slug);
        if (sum !== undefined) scores.set(row.slug, sum + FIELD_WEIGHTS[field] * row.score);
      }
    }
    const page = eligible
      .map((row) => ({ ...row, score: scores.get(row.slug) ?? 0 }))
      .sort((a, b) => b.score - a.score || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
      .slice(query.offset, query.offset + query.limit);
    const found = new Set(page.map((row) => row.slug));
    return {
      total: eligible.length,
      hits: page.map((row, i) => ({
        slug: row.slug,
        title: stripMarks(row.title),
        category: row.category,
        audience: row.audience,
        locale: row.locale,
        rank: query.offset + i + 1,
        score: row.score,
      })),
      // Highlighting and cutting snippets is most of what a search costs FTS5: only for the hits shown.
      marks: async (slugs) => this.marks(match, slugs.filter((slug) => found.has(slug))),
    };
  }

  private marks(match: string, slugs: string[]): Map<string, HitMarks> {
    if (!slugs.length) return new Map();
    const rows = this.statement(
      `SELECT slug, highlight(articles_fts, 0, @start, @end) AS title_marked,
         snippet(articles_fts, 3, @start, @end, '…', ${SNIPPET_TOKENS}) AS snippet_marked
       FROM articles_fts WHERE articles_fts MATCH @match AND slug IN (SELECT value FROM json_each(@slugs))`,
    ).all({ match, slugs: JSON.stringify(slugs), start: HIGHLIGHT_START, end: HIGHLIGHT_END }) as {
      slug: string;
      title_marked: string;
      snippet_marked: string;
    }[];
    return new Map(rows.map((row) => [row.slug, { titleHtml: highlightToHtml(row.title_marked), snippetHtml: highlightToHtml(row.snippet_marked) }]));
  }
}

function stripMarks(text: string): string {
  return text.replace(/[\u0001\u0002\u200b]/g, "");
}
