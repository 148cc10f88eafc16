/** Graded relevance of article slugs for one query: 2 = the primary answer, 1 = related. */
export type Judgments = ReadonlyMap<string, number>;

export interface QueryMetrics {
  "mrr@10": number;
  "ndcg@10": number;
  "recall@5": number;
  "recall@20": number;
  /** 1 when the primary article (relevance 2) is ranked first. */
  "hit@1_primary": number;
}

/** Reciprocal rank of the first relevant (relevance >= 1) result within the top k. */
export function reciprocalRank(ranked: readonly string[], judgments: Judgments, k = 10): number {
  const index = ranked.slice(0, k).findIndex((slug) => (judgments.get(slug) ?? 0) >= 1);
  return index === -1 ? 0 : 1 / (index + 1);
}

/** nDCG@k with exponential gain (2^rel - 1) and log2 discount. */
export function ndcg(ranked: readonly string[], judgments: Judgments, k = 10): number {
  const dcg = (rels: number[]) =>
    rels.reduce((sum, rel, i) => sum + (2 ** rel - 1) / Math.log2(i + 2), 0);
  const actual = dcg(ranked.slice(0, k).map((slug) => judgments.get(slug) ?? 0));
  const ideal = dcg([...judgments.values()].sort((a, b) => b - a).slice(0, k));
  return ideal === 0 ? 0 : actual / ideal;
}

/** Share of the relevant (relevance >= 1) articles found in the top k. */
export function recall(ranked: readonly string[], judgments: Judgments, k: number): number {
  const relevant = [...judgments].filter(([, rel]) => rel >= 1).map(([slug]) => slug);
  if (!relevant.length) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((slug) => top.has(slug)).length / relevant.length;
}

export function scoreQuery(ranked: readonly string[], judgments: Judgments): QueryMetrics {
  const primary = [...judgments].find(([, rel]) => rel === 2)?.[0];
  return {
    "mrr@10": reciprocalRank(ranked, judgments, 10),
    "ndcg@10": ndcg(ranked, judgments, 10),
    "recall@5": recall(ranked, judgments, 5),
    "recall@20": recall(ranked, judgments, 20),
    "hit@1_primary": primary !== undefined && ranked[0] === primary ? 1 : 0,
  };
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? 0;
}
