import type { Services } from "~/services.server";
import type { FusionWeights } from "~/search/fusion";
import { search, type PipelineMode } from "~/search/pipeline.server";
import type { EvalQuery } from "./eval-data";
import type { Surface } from "~/search/search-request";
import { mean, percentile, scoreQuery, type Judgments, type QueryMetrics } from "./metrics";

/** A way of ranking articles for a query. */
export type RankFn = (query: string) => Promise<string[]>;

export const EVAL_DEPTH = 20;

/** Eval modes and the pipeline mode each runs: `rerank` is the full default pipeline. */
export const MODES: Record<string, PipelineMode> = {
  keyword: "keyword",
  semantic: "semantic",
  hybrid: "hybrid",
  rerank: "full",
};

export interface RankOptions {
  /** A preset slug (else the surface default). */
  preset?: string;
  instruction?: string;
  surface?: Surface;
}

export function rankerFor(services: Services, mode: string, weights?: FusionWeights, options: RankOptions = {}): RankFn {
  const pipelineMode = MODES[mode];
  if (!pipelineMode) throw new Error(`unknown mode ${mode}`);
  const surface = options.surface ?? "help";
  return async (query) => {
    const deps = services.searchDeps();
    const response = await search(
      weights ? { ...deps, weights } : deps,
      { q: query, surface, limit: EVAL_DEPTH, offset: 0, preset: options.preset, instruction: options.instruction },
      pipelineMode,
      // Agent-surface cases run as a signed-in agent: internal articles are eligible.
      { internal: surface === "agent" },
    );
    return response.results.map((r) => r.slug);
  };
}

/** `no_result`: share of queries that got no result at all (the relevance floor said nothing fits). */
export type ModeReport = QueryMetrics & { no_result: number; p50_ms: number; p95_ms: number };

export async function evaluateMode(
  rank: RankFn,
  queries: readonly EvalQuery[],
  judgments: ReadonlyMap<string, Judgments>,
  onProgress?: (done: number) => void,
): Promise<ModeReport> {
  const perQuery: QueryMetrics[] = [];
  const latencies: number[] = [];
  let empty = 0;
  for (const [i, { query, intent }] of queries.entries()) {
    const started = performance.now();
    const ranked = await rank(query.slice(0, 500));
    latencies.push(performance.now() - started);
    if (!ranked.length) empty++;
    perQuery.push(scoreQuery(ranked, judgments.get(intent) ?? new Map()));
    onProgress?.(i + 1);
  }
  const avg = (key: keyof QueryMetrics) => round(mean(perQuery.map((m) => m[key])), 4);
  return {
    "mrr@10": avg("mrr@10"),
    "ndcg@10": avg("ndcg@10"),
    "recall@5": avg("recall@5"),
    "recall@20": avg("recall@20"),
    "hit@1_primary": avg("hit@1_primary"),
    no_result: round(queries.length ? empty / queries.length : 0, 4),
    p50_ms: round(percentile(latencies, 50), 2),
    p95_ms: round(percentile(latencies, 95), 2),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
