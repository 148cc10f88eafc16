import type { Db } from "~/db/db.server";
import { percentile } from "~/eval/metrics";

export type SurfaceFilter = "help" | "agent" | "all";

export interface AnalyticsRange {
  /** Inclusive, ISO date or timestamp. */
  from: string;
  /** Exclusive. */
  to: string;
  surface: SurfaceFilter;
}

/** One settled search and what followed it. */
export interface SearchOutcome {
  id: string;
  createdAt: string;
  surface: string;
  sessionKey: string;
  query: string;
  queryKey: string;
  total: number;
  rerankerStatus: string;
  latencyMs: number;
  variant: string | null;
  experimentId: number | null;
  /** Position (0 = top) of the first result clicked, or null when nothing was. */
  firstClick: number | null;
  notFound: boolean;
  usedInReply: boolean;
}

export interface QueryRow {
  query: string;
  searches: number;
  /** Share of its searches with a click. */
  ctr: number;
  /** Share of its searches with no result. */
  zeroResults: number;
}

export interface DailyRow {
  day: string;
  searches: number;
  ctr: number;
  notFound: number;
  zeroResults: number;
}

export interface AnalyticsReport {
  range: AnalyticsRange;
  searches: number;
  /** Share of settled searches whose first click is on a result. */
  firstClickCtr: number;
  /** Share of settled searches followed by an "I didn't find what I need" report. */
  notFoundRate: number;
  /** Mean over settled searches of 1 / (rank of the first click), 0 without a click. */
  firstClickMrr: number;
  zeroResultRate: number;
  /** Searches with results that got no click, no report and no use in a reply. */
  abandonmentRate: number;
  /** "Was this helpful?" answers that said no, of all answers in the range (help center). */
  notHelpfulRate: number | null;
  helpfulAnswers: number;
  rerankerFallbackRate: number;
  latencyP50: number;
  latencyP95: number;
  /** Share of first clicks at each rank 1..10, then "11+". */
  firstClickPositions: { rank: string; clicks: number; share: number }[];
  daily: DailyRow[];
  topQueries: QueryRow[];
  topZeroResultQueries: QueryRow[];
  topNoClickQueries: QueryRow[];
}

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;
const share = (n: number, of: number) => (of ? round(n / of) : 0);

/** Settled searches in the range with what followed each (data access). */
export function loadSearchOutcomes(db: Db, range: AnalyticsRange): SearchOutcome[] {
  const rows = db
    .prepare(
      `SELECT s.id, s.created_at AS createdAt, s.surface, s.session_key AS sessionKey, s.query, s.query_key AS queryKey,
              s.total, s.reranker_status AS rerankerStatus, s.latency_ms AS latencyMs, s.variant, s.experiment_id AS experimentId,
              (SELECT e.position FROM events e WHERE e.search_id = s.id AND e.kind = 'click' ORDER BY e.created_at, e.id LIMIT 1) AS firstClick,
              EXISTS (SELECT 1 FROM events e WHERE e.search_id = s.id AND e.kind = 'not_found') AS notFound,
              EXISTS (SELECT 1 FROM events e WHERE e.search_id = s.id AND e.kind = 'used_in_reply') AS usedInReply
       FROM searches s
       WHERE s.settled_at IS NOT NULL AND s.created_at >= @from AND s.created_at < @to
         AND (@surface = 'all' OR s.surface = @surface)
       ORDER BY s.created_at`,
    )
    .all(range) as (Omit<SearchOutcome, "notFound" | "usedInReply"> & { notFound: number; usedInReply: number })[];
  return rows.map((r) => ({ ...r, notFound: r.notFound === 1, usedInReply: r.usedInReply === 1 }));
}

function helpfulCounts(db: Db, range: AnalyticsRange): { yes: number; no: number } {
  const rows = db
    .prepare(
      `SELECT value, count(*) AS n FROM events
       WHERE kind = 'helpful' AND created_at >= @from AND created_at < @to AND (@surface = 'all' OR surface = @surface)
       GROUP BY value`,
    )
    .all(range) as { value: string; n: number }[];
  return { yes: rows.find((r) => r.value === "yes")?.n ?? 0, no: rows.find((r) => r.value === "no")?.n ?? 0 };
}

export function analyticsReport(db: Db, range: AnalyticsRange, topN = 15): AnalyticsReport {
  return summarise(loadSearchOutcomes(db, range), helpfulCounts(db, range), range, topN);
}

/** The dashboard's figures from the searches of a range (pure: tested on its own). */
export function summarise(searches: readonly SearchOutcome[], helpful: { yes: number; no: number }, range: AnalyticsRange, topN = 15): AnalyticsReport {
  const n = searches.length;
  const clicked = searches.filter((s) => s.firstClick !== null);
  const zero = searches.filter((s) => s.total === 0);
  const abandoned = searches.filter((s) => s.total > 0 && s.firstClick === null && !s.notFound && !s.usedInReply);
  const positions = Array.from({ length: 11 }, (_, i) => ({ rank: i < 10 ? String(i + 1) : "11+", clicks: 0, share: 0 }));
  for (const s of clicked) positions[Math.min(10, s.firstClick!)]!.clicks++;
  for (const p of positions) p.share = share(p.clicks, clicked.length);
  const answers = helpful.yes + helpful.no;
  return {
    range,
    searches: n,
    firstClickCtr: share(clicked.length, n),
    notFoundRate: share(searches.filter((s) => s.notFound).length, n),
    firstClickMrr: n ? round(clicked.reduce((sum, s) => sum + 1 / (s.firstClick! + 1), 0) / n) : 0,
    zeroResultRate: share(zero.length, n),
    abandonmentRate: share(abandoned.length, n),
    notHelpfulRate: answers ? share(helpful.no, answers) : null,
    helpfulAnswers: answers,
    rerankerFallbackRate: share(searches.filter((s) => s.rerankerStatus === "fallback").length, n),
    latencyP50: round(percentile(searches.map((s) => s.latencyMs), 50), 1),
    latencyP95: round(percentile(searches.map((s) => s.latencyMs), 95), 1),
    firstClickPositions: positions,
    daily: daily(searches, range),
    topQueries: queryTable(searches, topN),
    topZeroResultQueries: queryTable(zero, topN),
    topNoClickQueries: queryTable(searches.filter((s) => s.total > 0 && s.firstClick === null), topN),
  };
}

/** Every day of the range (UTC), with zero rows for quiet days so the chart's time axis is true. */
function daily(searches: readonly SearchOutcome[], range: AnalyticsRange): DailyRow[] {
  const byDay = new Map<string, SearchOutcome[]>();
  for (const s of searches) {
    const day = s.createdAt.slice(0, 10);
    const rows = byDay.get(day);
    if (rows) rows.push(s);
    else byDay.set(day, [s]);
  }
  const out: DailyRow[] = [];
  const end = new Date(range.to).getTime();
  for (let t = Date.parse(range.from.slice(0, 10)); t < end && out.length < 400; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const rows = byDay.get(day) ?? [];
    out.push({
      day,
      searches: rows.length,
      ctr: share(rows.filter((s) => s.firstClick !== null).length, rows.length),
      notFound: share(rows.filter((s) => s.notFound).length, rows.length),
      zeroResults: share(rows.filter((s) => s.total === 0).length, rows.length),
    });
  }
  return out;
}

/** Searches grouped by query key (case, punctuation and personal data folded), most frequent spelling shown. */
function queryTable(searches: readonly SearchOutcome[], topN: number): QueryRow[] {
  const groups = new Map<string, SearchOutcome[]>();
  for (const s of searches) {
    const rows = groups.get(s.queryKey);
    if (rows) rows.push(s);
    else groups.set(s.queryKey, [s]);
  }
  return [...groups.values()]
    .map((rows) => {
      const spellings = new Map<string, number>();
      for (const r of rows) spellings.set(r.query, (spellings.get(r.query) ?? 0) + 1);
      const query = [...spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
      return {
        query,
        searches: rows.length,
        ctr: share(rows.filter((r) => r.firstClick !== null).length, rows.length),
        zeroResults: share(rows.filter((r) => r.total === 0).length, rows.length),
      };
    })
    .sort((a, b) => b.searches - a.searches || a.query.localeCompare(b.query))
    .slice(0, topN);
}

/** The searches of a range as CSV (one line per settled search), for spreadsheets. */
export function searchesCsv(searches: readonly SearchOutcome[]): string {
  const header = ["search_id", "created_at", "surface", "query", "results", "first_click_rank", "not_found", "used_in_reply", "reranker", "latency_ms", "variant"];
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    // Quote, and defuse spreadsheet formulas in user-typed text.
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = searches.map((s) =>
    [s.id, s.createdAt, s.surface, s.query, s.total, s.firstClick === null ? "" : s.firstClick + 1, s.notFound ? 1 : 0, s.usedInReply ? 1 : 0, s.rerankerStatus, s.latencyMs, s.variant]
      .map(cell)
      .join(","),
  );
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}
