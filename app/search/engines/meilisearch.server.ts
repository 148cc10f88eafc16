import {
  Meilisearch,
  MeilisearchError,
  type Index,
  type Settings,
  type Task,
} from "meilisearch";
import type { Locale } from "~/articles/article-schema";
import { HIGHLIGHT_END, HIGHLIGHT_START, hasHan, highlightToHtml, stripHighlight } from "../text";
import {
  EngineUnavailableError,
  type HitMarks,
  type IndexDocument,
  type KeywordHit,
  type KeywordQuery,
  type KeywordResult,
  type SearchEngine,
} from "./engine";

/**
 * Chinese text lives in `*_zh` attributes so that Meilisearch can be told (localizedAttributes)
 * to tokenize it as Chinese; English text stays in the plain attributes.
 */
interface MeiliDocument {
  slug: string;
  title?: string;
  tags?: string[];
  questions?: string[];
  body?: string;
  title_zh?: string;
  tags_zh?: string[];
  questions_zh?: string[];
  body_zh?: string;
  category: string;
  audience: string;
  locale: string;
  updated: string;
}

export const MEILI_SETTINGS: Settings = {
  searchableAttributes: ["title", "title_zh", "tags", "tags_zh", "questions", "questions_zh", "body", "body_zh"],
  filterableAttributes: ["audience", "locale", "category"],
  sortableAttributes: ["updated"],
  displayedAttributes: ["slug", "title", "title_zh", "category", "audience", "locale", "updated"],
  rankingRules: ["words", "typo", "proximity", "attribute", "sort", "exactness"],
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 },
  },
  localizedAttributes: [
    { attributePatterns: ["*_zh"], locales: ["cmn"] },
    { attributePatterns: ["title", "tags", "questions", "body"], locales: ["eng"] },
  ],
  pagination: { maxTotalHits: 1000 },
};

export interface MeilisearchOptions {
  url: string;
  indexUid: string;
  /** Key allowed to change settings and documents (admin key, or the master key). */
  adminKey?: string;
  /** Key used for queries; found among the instance's keys when not given. */
  searchKey?: string;
  timeoutMs?: number;
}

/** How long an unreachable Meilisearch is left alone before the next request tries it again. */
export const MEILI_RETRY_MS = 5_000;

export class MeilisearchEngine implements SearchEngine {
  readonly name = "meilisearch" as const;
  private readonly admin: Meilisearch;
  private searchIndex: Index<MeiliDocument> | undefined;
  /** The last failed set-up: until MEILI_RETRY_MS after it, requests fail at once with its error. */
  private failedSetUp: { at: number; error: EngineUnavailableError } | undefined;

  constructor(private readonly options: MeilisearchOptions) {
    this.admin = new Meilisearch({
      host: options.url,
      apiKey: options.adminKey,
      timeout: options.timeoutMs ?? 10_000,
      defaultWaitOptions: { timeout: 60_000, interval: 50 },
    });
  }

  private get adminIndex(): Index<MeiliDocument> {
    return this.admin.index<MeiliDocument>(this.options.indexUid);
  }

  /** Creates the index if needed, applies settings and resolves the search-only key. */
  async init(): Promise<void> {
    await this.guard("set up the index", async () => {
      await this.admin.health();
      const created = await this.admin
        .createIndex(this.options.indexUid, { primaryKey: "slug" })
        .waitTask();
      if (created.status === "failed" && created.error?.code !== "index_already_exists") {
        throw new EngineUnavailableError(this.name, `could not create index: ${created.error?.message}`);
      }
      assertSucceeded(await this.adminIndex.updateSettings(MEILI_SETTINGS).waitTask());
      const searchKey = this.options.searchKey ?? (await this.findSearchKey());
      const client = new Meilisearch({
        host: this.options.url,
        apiKey: searchKey,
        timeout: this.options.timeoutMs ?? 10_000,
      });
      this.searchIndex = client.index<MeiliDocument>(this.options.indexUid);
    });
  }

  /**
   * Set up on first use: an engine that was down when the app started (or was restarted empty of
   * settings) is set up by the first request after it answers; meanwhile requests fail fast with
   * EngineUnavailableError (a 503 for searches) instead of each waiting for a connection.
   */
  private async ready(): Promise<Index<MeiliDocument>> {
    if (this.searchIndex) return this.searchIndex;
    if (this.failedSetUp && Date.now() - this.failedSetUp.at < MEILI_RETRY_MS) throw this.failedSetUp.error;
    try {
      await this.init();
      this.failedSetUp = undefined;
    } catch (error) {
      if (error instanceof EngineUnavailableError) this.failedSetUp = { at: Date.now(), error };
      throw error;
    }
    return this.searchIndex!;
  }

  /** The default "Default Search API Key" (or any key that can only search this index). */
  private async findSearchKey(): Promise<string | undefined> {
    if (!this.options.adminKey) return undefined; // an unprotected instance needs no key
    const { results } = await this.admin.getKeys({ limit: 100 });
    const key = results.find(
      (k) =>
        k.actions.length === 1 &&
        k.actions[0] === "search" &&
        (k.indexes.includes("*") || k.indexes.includes(this.options.indexUid)) &&
        (!k.expiresAt || new Date(k.expiresAt).getTime() > Date.now()),
    );
    if (!key) {
      throw new EngineUnavailableError(
        this.name,
        "no search-only API key found; set MEILI_SEARCH_KEY or create one",
      );
    }
    return key.key;
  }

  async index(documents: IndexDocument[]): Promise<void> {
    if (!documents.length) return;
    await this.ready();
    await this.guard("index documents", async () => {
      assertSucceeded(
        await this.adminIndex.addDocuments(documents.map(toMeiliDocument), { primaryKey: "slug" }).waitTask(),
      );
    });
  }

  async remove(slugs: string[]): Promise<void> {
    if (!slugs.length) return;
    await this.ready();
    await this.guard("remove documents", async () => {
      assertSucceeded(await this.adminIndex.deleteDocuments(slugs).waitTask());
    });
  }

  async clear(): Promise<void> {
    await this.ready();
    await this.guard("clear the index", async () => {
      assertSucceeded(await this.adminIndex.deleteAllDocuments().waitTask());
    });
  }

  async count(): Promise<number> {
    await this.ready();
    return this.guard("count documents", async () => {
      return (await this.adminIndex.getStats()).numberOfDocuments;
    });
  }

  async search(query: KeywordQuery): Promise<KeywordResult> {
    const index = await this.ready();
    const filter = [`audience IN [${query.audiences.map(quote).join(", ")}]`];
    if (query.locale) filter.push(`locale = ${quote(query.locale)}`);
    if (query.category) filter.push(`category = ${quote(query.category)}`);
    const queryLocale: Locale = query.locale ?? (hasHan(query.text) ? "zh" : "en");
    const response = await this.guard("search", () =>
      index.search(query.text, {
        filter: filter.join(" AND "),
        limit: query.limit,
        offset: query.offset,
        locales: [queryLocale === "zh" ? "cmn" : "eng"],
        matchingStrategy: "frequency",
        showRankingScore: true,
        attributesToHighlight: ["title", "title_zh", "body", "body_zh"],
        attributesToCrop: ["body", "body_zh"],
        cropLength: 28,
        cropMarker: "…",
        highlightPreTag: HIGHLIGHT_START,
        highlightPostTag: HIGHLIGHT_END,
      }),
    );
    // Meilisearch marks every hit in its answer: keep those marks for the page asked about.
    const marks = new Map<string, HitMarks>();
    const hits = response.hits.map((hit, i): KeywordHit => {
      const formatted = (hit._formatted ?? {}) as Partial<Record<keyof MeiliDocument, string>>;
      const titleMarked = formatted.title ?? formatted.title_zh ?? hit.title ?? hit.title_zh ?? "";
      const snippetMarked = formatted.body ?? formatted.body_zh ?? "";
      marks.set(hit.slug, { titleHtml: highlightToHtml(titleMarked), snippetHtml: highlightToHtml(snippetMarked) });
      return {
        slug: hit.slug,
        title: stripHighlight(titleMarked),
        category: hit.category,
        audience: hit.audience as IndexDocument["audience"],
        locale: hit.locale as IndexDocument["locale"],
        rank: query.offset + i + 1,
        score: hit._rankingScore ?? 0,
      };
    });
    return {
      total: response.estimatedTotalHits ?? response.hits.length,
      hits,
      marks: async (slugs) => new Map(slugs.flatMap((slug) => (marks.has(slug) ? [[slug, marks.get(slug)!] as const] : []))),
    };
  }

  /** Deletes the whole index (used by tests for their throwaway indexes). */
  async deleteIndex(): Promise<void> {
    await this.guard("delete the index", async () => {
      await this.admin.deleteIndex(this.options.indexUid).waitTask();
    });
  }

  private async guard<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof EngineUnavailableError) throw error;
      if (error instanceof MeilisearchError) {
        throw new EngineUnavailableError(this.name, `${action} failed: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
}

function toMeiliDocument(doc: IndexDocument): MeiliDocument {
  const base = {
    slug: doc.slug,
    category: doc.category,
    audience: doc.audience,
    locale: doc.locale,
    updated: doc.updated,
  };
  return doc.locale === "zh"
    ? { ...base, title_zh: doc.title, tags_zh: doc.tags, questions_zh: doc.questions, body_zh: doc.body }
    : { ...base, title: doc.title, tags: doc.tags, questions: doc.questions, body: doc.body };
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function assertSucceeded(task: Task): void {
  if (task.status !== "succeeded") {
    throw new EngineUnavailableError(
      "meilisearch",
      `task ${task.uid} (${task.type}) ${task.status}: ${task.error?.message ?? "no error message"}`,
    );
  }
}
