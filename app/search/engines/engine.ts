import type { Audience, Locale } from "~/articles/article-schema";
import { isErrorNamed } from "~/errors";

/** What a keyword engine indexes for one article. */
export interface IndexDocument {
  slug: string;
  title: string;
  tags: string[];
  /** Customer phrasings of the need the article answers. */
  questions: string[];
  category: string;
  audience: Audience;
  locale: Locale;
  updated: string;
  /** Plain text of the body (Markdown already stripped). */
  body: string;
}

export interface KeywordQuery {
  text: string;
  /** Only articles whose audience is in this list can match. Never empty. */
  audiences: readonly Audience[];
  /** Restrict to one locale; undefined searches all locales. */
  locale?: Locale;
  category?: string;
  limit: number;
  offset: number;
}

export interface KeywordHit {
  slug: string;
  title: string;
  category: string;
  audience: Audience;
  locale: Locale;
  /** 1-based rank in the engine's order (offset included). */
  rank: number;
  /** Engine-specific relevance, higher is better (FTS5: -bm25; Meilisearch: _rankingScore). */
  score: number;
}

/** A hit's title and an excerpt of its body with the query's words marked. */
export interface HitMarks {
  /** HTML-safe title with <mark> around matches. */
  titleHtml: string;
  /** HTML-safe excerpt of the body with <mark> around matches. */
  snippetHtml: string;
}

export interface KeywordResult {
  hits: KeywordHit[];
  /** Number of matching articles (estimated by some engines). */
  total: number;
  /**
   * Marks for some of these hits, by slug (unknown slugs are left out). A search shows a page of
   * the candidates it retrieves, so an engine that must do work to mark a hit does it only here.
   */
  marks(slugs: readonly string[]): Promise<Map<string, HitMarks>>;
}

export interface SearchEngine {
  readonly name: "sqlite" | "meilisearch";
  /** Prepares the engine (settings, keys); called once before first use. */
  init(): Promise<void>;
  /** Adds or replaces documents by slug. */
  index(documents: IndexDocument[]): Promise<void>;
  remove(slugs: string[]): Promise<void>;
  /** Removes every document. */
  clear(): Promise<void>;
  count(): Promise<number>;
  search(query: KeywordQuery): Promise<KeywordResult>;
}

/** The engine could not be reached or refused the request. */
export class EngineUnavailableError extends Error {
  override name = "EngineUnavailableError";
  /** Matches this error from either copy of the app's code (app/errors.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isErrorNamed(value, "EngineUnavailableError");
  }
  constructor(
    readonly engine: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${engine}: ${message}`, options);
  }
}
