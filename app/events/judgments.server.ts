import type { Db } from "~/db/db.server";
import { clickPriorValue } from "~/search/fusion";

export interface ClickJudgment {
  query: string;
  slug: string;
  impressions: number;
  clicks: number;
  /** The clicks the positions it was shown at get on average (position bias). */
  expected_clicks: number;
  /** clicks / impressions. */
  ctr: number;
  /** The click prior's value: log2 of smoothed clicks over expected clicks, in [-1, 1]. */
  click_prior: number;
  /** Graded relevance for the eval CLI: 2 clicked well above its positions' rate, 1 clicked, 0 shown but passed over. */
  grade: 0 | 1 | 2;
}

/**
 * Graded relevance judgments from settled searches since a date: per (query, article), first
 * clicks against the clicks its positions would get (the position-bias curve of the same window).
 * Queries are grouped by their click-prior key (masked, case and punctuation folded); the query
 * shown is the most frequent spelling.
 */
export function exportJudgments(db: Db, options: { since?: string; minImpressions?: number } = {}): ClickJudgment[] {
  const since = options.since ?? "0000";
  const minImpressions = options.minImpressions ?? 5;
  const shown = db
    .prepare(
      `SELECT s.id AS searchId, s.surface, s.query, s.query_key AS queryKey, r.position, r.slug,
              EXISTS (SELECT 1 FROM events e WHERE e.search_id = s.id AND e.kind = 'click' AND e.slug = r.slug) AS clicked
       FROM searches s JOIN search_results r ON r.search_id = s.id
       WHERE s.settled_at IS NOT NULL AND s.created_at >= ?`,
    )
    .all(since) as { searchId: string; surface: string; query: string; queryKey: string; position: number; slug: string; clicked: number }[];

  const curve = new Map<string, { impressions: number; clicks: number }>();
  for (const row of shown) {
    const key = `${row.surface}:${row.position}`;
    const c = curve.get(key) ?? { impressions: 0, clicks: 0 };
    c.impressions++;
    c.clicks += row.clicked;
    curve.set(key, c);
  }
  const ctrAt = (surface: string, position: number) => {
    const c = curve.get(`${surface}:${position}`)!;
    return c.clicks / c.impressions;
  };

  const pairs = new Map<string, { queryKey: string; slug: string; impressions: number; clicks: number; expected: number; spellings: Map<string, number> }>();
  for (const row of shown) {
    const key = `${row.queryKey}\u0000${row.slug}`;
    const p = pairs.get(key) ?? { queryKey: row.queryKey, slug: row.slug, impressions: 0, clicks: 0, expected: 0, spellings: new Map() };
    p.impressions++;
    p.clicks += row.clicked;
    p.expected += ctrAt(row.surface, row.position);
    p.spellings.set(row.query, (p.spellings.get(row.query) ?? 0) + 1);
    pairs.set(key, p);
  }
  // One spelling per query key, the same for all of its articles.
  const spelling = new Map<string, Map<string, number>>();
  for (const p of pairs.values()) {
    const s = spelling.get(p.queryKey) ?? new Map<string, number>();
    for (const [q, n] of p.spellings) s.set(q, (s.get(q) ?? 0) + n);
    spelling.set(p.queryKey, s);
  }
  const shownAs = (queryKey: string) => [...spelling.get(queryKey)!].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];

  const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;
  return [...pairs.values()]
    .filter((p) => p.impressions >= minImpressions)
    .map((p): ClickJudgment => {
      const prior = clickPriorValue({ clicks: p.clicks, expected: p.expected });
      return {
        query: shownAs(p.queryKey),
        slug: p.slug,
        impressions: p.impressions,
        clicks: p.clicks,
        expected_clicks: round(p.expected, 2),
        ctr: round(p.clicks / p.impressions),
        click_prior: round(prior),
        grade: p.clicks > 0 && prior >= 0.5 ? 2 : p.clicks > 0 ? 1 : 0,
      };
    })
    .sort((a, b) => a.query.localeCompare(b.query) || b.grade - a.grade || b.clicks - a.clicks || a.slug.localeCompare(b.slug));
}
