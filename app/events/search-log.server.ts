import { randomUUID } from "node:crypto";
import type { Statement } from "better-sqlite3";
import { nonBlockingWrites, statementCache, type Db } from "~/db/db.server";
import { queryKey } from "~/search/query-key";
import { maskPersonalData } from "~/search/ticket-query";
import type { Surface } from "~/search/search-request";

export interface SearchShown {
  surface: Surface;
  /** 'user:<id>', 'key:<id>' or 'visitor:<id>' (see visitor.server.ts). */
  sessionKey: string;
  userId?: number | null;
  /** As typed: masked here before it is stored. */
  query: string;
  preset: string | null;
  variant?: string | null;
  experimentId?: number | null;
  rerankerStatus: string;
  total: number;
  latencyMs: number;
  results: readonly { slug: string; score: number }[];
  /** The rank of the first result shown (a later page starts past 0): positions are absolute. */
  offset?: number;
  /** False for a search-as-you-type prefix: it becomes an impression only when it settles. */
  settled: boolean;
}

export interface LoggedSearch {
  id: string;
  surface: Surface;
  sessionKey: string;
  queryKey: string;
  settled: boolean;
  results: { slug: string; position: number }[];
}

/**
 * The durable log of searches shown (data access only). `record` runs before the results are
 * sent; `settle` turns a prefix into an impression and feeds the click prior's counts.
 */
export { queryKey };

export class SearchLog {
  /** Every search shown is logged: its statements are compiled once. */
  private readonly statement: (sql: string) => Statement;
  private readonly write: <T>(work: () => T) => Promise<T>;

  constructor(private readonly db: Db) {
    this.statement = statementCache(db);
    this.write = nonBlockingWrites(db);
  }

  /** Settles once the search is committed; a wait for another process's lock holds up no other request. */
  async record(search: SearchShown): Promise<string> {
    const id = randomUUID();
    const query = maskPersonalData(search.query);
    await this.write(() => {
      this
        .statement(
          `INSERT INTO searches (id, settled_at, surface, session_key, user_id, query, query_key, preset, variant, experiment_id, reranker_status, total, latency_ms)
           VALUES (@id, NULL, @surface, @sessionKey, @userId, @query, @queryKey, @preset, @variant, @experimentId, @rerankerStatus, @total, @latencyMs)`,
        )
        .run({
          id,
          surface: search.surface,
          sessionKey: search.sessionKey,
          userId: search.userId ?? null,
          query,
          queryKey: queryKey(search.query),
          preset: search.preset,
          variant: search.variant ?? null,
          experimentId: search.experimentId ?? null,
          rerankerStatus: search.rerankerStatus,
          total: search.total,
          latencyMs: Math.round(search.latencyMs * 100) / 100,
        });
      const insert = this.statement(`INSERT INTO search_results (search_id, position, slug, score) VALUES (?, ?, ?, ?)`);
      search.results.forEach((r, i) => insert.run(id, (search.offset ?? 0) + i, r.slug, r.score));
      if (search.settled) this.settleInTransaction(id);
    });
    return id;
  }

  get(id: string): LoggedSearch | undefined {
    const row = this
      .statement(`SELECT id, surface, session_key AS sessionKey, query_key AS queryKey, settled_at AS settledAt FROM searches WHERE id = ?`)
      .get(id) as { id: string; surface: Surface; sessionKey: string; queryKey: string; settledAt: string | null } | undefined;
    if (!row) return undefined;
    const results = this
      .statement(`SELECT slug, position FROM search_results WHERE search_id = ? ORDER BY position`)
      .all(id) as { slug: string; position: number }[];
    return { id: row.id, surface: row.surface, sessionKey: row.sessionKey, queryKey: row.queryKey, settled: row.settledAt !== null, results };
  }

  /** Marks a prefix as settled (idempotent); returns whether it changed. Call inside a transaction of the caller, or alone. */
  settle(id: string): boolean {
    return this.db.transaction(() => this.settleInTransaction(id)).immediate();
  }

  private settleInTransaction(id: string): boolean {
    const changed =
      this.statement(`UPDATE searches SET settled_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND settled_at IS NULL`).run(id)
        .changes === 1;
    if (changed) this.countImpressions(id);
    return changed;
  }

  /**
   * The click prior's side of an impression: each shown result adds one impression to its
   * position and to its (query, article) pair, and the clicks its position gets on average.
   */
  private countImpressions(id: string): void {
    const search = this.statement(`SELECT surface, query_key AS queryKey FROM searches WHERE id = ?`).get(id) as { surface: string; queryKey: string };
    const shown = this.statement(`SELECT slug, position FROM search_results WHERE search_id = ? ORDER BY position`).all(id) as { slug: string; position: number }[];
    const bumpPosition = this.statement(
      `INSERT INTO click_position_stats (surface, position, impressions, clicks) VALUES (?, ?, 1, 0)
       ON CONFLICT (surface, position) DO UPDATE SET impressions = impressions + 1`,
    );
    const bumpPair = this.statement(
      `INSERT INTO click_stats (query_key, slug, impressions, clicks, expected_clicks) VALUES (@queryKey, @slug, 1, 0, @expected)
       ON CONFLICT (query_key, slug) DO UPDATE SET impressions = impressions + 1, expected_clicks = expected_clicks + @expected,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    );
    const curve = this.positionCtr(search.surface);
    for (const r of shown) {
      bumpPosition.run(search.surface, r.position);
      bumpPair.run({ queryKey: search.queryKey, slug: r.slug, expected: curve(r.position) });
    }
  }

  /**
   * Click-through rate by position on a surface, smoothed towards a 1/(position+1) curve so
   * that a young log (or a rarely reached position) does not produce zeros.
   */
  positionCtr(surface: string): (position: number) => number {
    const rows = this
      .statement(`SELECT position, impressions, clicks FROM click_position_stats WHERE surface = ?`)
      .all(surface) as { position: number; impressions: number; clicks: number }[];
    const byPosition = new Map(rows.map((r) => [r.position, r]));
    const PRIOR_STRENGTH = 20;
    return (position: number) => {
      const prior = 0.3 / (position + 1);
      const row = byPosition.get(position);
      return row ? (row.clicks + PRIOR_STRENGTH * prior) / (row.impressions + PRIOR_STRENGTH) : prior;
    };
  }

  /** The click prior's side of a first click on an article of a search. */
  countClick(searchId: string, slug: string, position: number): void {
    const search = this.statement(`SELECT surface, query_key AS queryKey FROM searches WHERE id = ?`).get(searchId) as
      | { surface: string; queryKey: string }
      | undefined;
    if (!search) return;
    this
      .statement(`UPDATE click_position_stats SET clicks = clicks + 1 WHERE surface = ? AND position = ?`)
      .run(search.surface, position);
    this
      .statement(`UPDATE click_stats SET clicks = clicks + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE query_key = ? AND slug = ?`)
      .run(search.queryKey, slug);
  }

  /**
   * Every article's click-prior counts for one query key: the published copy (`click_prior`),
   * or with `live` the counts as they are this moment.
   */
  clickStatsFor(queryKey: string, options: { live?: boolean } = {}): Map<string, { impressions: number; clicks: number; expected: number }> {
    const table = options.live ? "click_stats" : "click_prior";
    const rows = this
      .statement(`SELECT slug, impressions, clicks, expected_clicks AS expected FROM ${table} WHERE query_key = ?`)
      .all(queryKey) as { slug: string; impressions: number; clicks: number; expected: number }[];
    return new Map(rows.map(({ slug, ...counts }) => [slug, counts]));
  }

  /** Copies the counts changed since `since` (all when undefined) to `click_prior`, in one transaction. */
  publishClickPrior(since?: string): number {
    return this
      .statement(
        `INSERT INTO click_prior (query_key, slug, impressions, clicks, expected_clicks)
         SELECT query_key, slug, impressions, clicks, expected_clicks FROM click_stats WHERE updated_at >= ?
         ON CONFLICT (query_key, slug) DO UPDATE SET impressions = excluded.impressions, clicks = excluded.clicks, expected_clicks = excluded.expected_clicks`,
      )
      .run(since ?? "0000").changes;
  }

  /** Deletes searches (with their results) older than the retention, and prefixes that never settled after a day. */
  deleteOlderThan(days: number): { searches: number } {
    const cutoff = new Date(Date.now() - days * 86_400_000).toISOString();
    const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
    const result = this.db.transaction(() => {
      const old = this.db.prepare(`DELETE FROM searches WHERE created_at < ?`).run(cutoff).changes;
      const unsettled = this.db.prepare(`DELETE FROM searches WHERE settled_at IS NULL AND created_at < ?`).run(dayAgo).changes;
      return old + unsettled;
    }).immediate();
    return { searches: result };
  }
}
