/** Weights of the fused score; every term is on a 0..1-ish scale before weighting. */
export interface FusionWeights {
  /** Keyword evidence: BM25 score relative to the best keyword hit among the candidates. */
  keyword: number;
  /** Sentence-encoder similarity: mean cosine of the article's best units. */
  semantic: number;
  /** Word overlap (TF-IDF cosine) with the article's closest written phrasing. */
  phrasing: number;
  /** Reranker relevance (0..1) from a cross-encoder or a remote reranker. */
  rerank: number;
  /**
   * Similarity of the preset's instruction to what the article is about (the mean of its best
   * units: title and tags, written questions, passages), rescaled over the candidates (least
   * aligned 0, most aligned 1), so an instruction steers by a known amount. A preset term: gated
   * and scaled by the query's steering like boosts.
   */
  instruction: number;
  /**
   * Similarity of the caller's own `instruction=` (this search only) to what the article is
   * about, rescaled like `instruction`. Much stronger than the preset's standing instruction: a
   * preset applies to every query of a surface and must not overturn clear ones, while an
   * instruction typed for one search says what that search means (docs/decisions/006).
   */
  requestInstruction: number;
}

/**
 * A preset term of weight w (a boost in [-1, 1], freshness in 0..1) adds up to w × BOOST_SCALE
 * to the fused score, times the query's steering (presetSteering): on a query that says little
 * ("package", "refund") +0.5 adds 0.5, enough to decide between any of the results it may touch;
 * on a full sentence it adds a small fraction of that (docs/decisions/007).
 */
export const BOOST_SCALE = 1;
/**
 * Preset terms (instruction, boosts, freshness) apply only to candidates whose score without them
 * is at least this share of the best such score, and that contain as much of the query as the
 * best-covered of those (coverage): a preset reorders results that fit the query, it never makes
 * an unrelated article relevant (and the "no results" floor compares scores without them).
 */
export const BOOST_GATE = 0.6;
/**
 * Queries saying at most this much (summed IDF of their words, in nats: one or two common words
 * such as "package" or "my order") are steered fully by the preset.
 */
export const STEERING_FULL_INFORMATION = 3;

/**
 * How much a preset may steer a query, 0..1: fully when the query says little, and falling with
 * the cube of what it says beyond that ((3 / information)^3: 1/8 at twice as much), so a preset
 * decides ambiguous queries and leaves clear ones to the query (docs/decisions/007).
 */
export function presetSteering(information: number): number {
  if (!(information > STEERING_FULL_INFORMATION)) return 1;
  return (STEERING_FULL_INFORMATION / information) ** 3;
}

/**
 * The click prior: how much more (or less) an article is clicked for a query than results at its
 * positions usually are, i.e. clicks over expected clicks (COEC), smoothed with
 * CLICK_PRIOR_STRENGTH expected clicks' worth of "as expected". Its value is log2 of that ratio
 * clipped to [-1, 1]: twice as often as its positions predict gives +1, half as often -1, and an
 * article seen but never clicked drifts down only as evidence accumulates. Position bias is
 * accounted for, so being first does not keep an article first (docs/decisions/009).
 */
export const CLICK_PRIOR_STRENGTH = 5;
/**
 * The click prior applies to candidates scoring at least this share of the best score before
 * boosts: looser than BOOST_GATE, since people clicking a result below the top few is exactly
 * what it learns from, but an article nobody would find relevant stays where it is.
 */
export const CLICK_PRIOR_GATE = 0.5;

export function clickPriorValue(stats: { clicks: number; expected: number }): number {
  const ratio = (stats.clicks + CLICK_PRIOR_STRENGTH) / (stats.expected + CLICK_PRIOR_STRENGTH);
  return Math.max(-1, Math.min(1, Math.log2(ratio)));
}

/** Why a preset term left a result alone: not close enough to the best score, or it contains less of the query than the best-covered result. */
export type PresetGate = "score" | "coverage";

export interface AppliedBoost {
  kind: "category" | "tag" | "article";
  value: string;
  weight: number;
  contribution: number;
}

export interface FusionCandidate {
  slug: string;
  /** Preset boosts that match this article (before the gate). */
  boosts?: { kind: AppliedBoost["kind"]; value: string; weight: number }[];
  /** Preset freshness: decay 2^(-age / half-life) in 0..1, and its weight in 0..1. */
  freshness?: { decay: number; weight: number; ageDays: number };
  /** Past traffic for this (query, article): impressions, clicks and the clicks its positions predict. */
  clicks?: { impressions: number; clicks: number; expected: number; weight: number };
  /** Share of the query's information (IDF of its words) that the article's text contains, 0..1. */
  coverage?: number;
  keyword?: { rank: number; score: number };
  semantic?: { score: number; best: { kind: string; position: number } };
  phrasing?: { score: number; phrasing: string };
  rerank?: { score: number };
  instruction?: { score: number };
  requestInstruction?: { score: number };
}

export interface TermExplain {
  /** The raw signal as the model or engine produced it. */
  score: number;
  /** The signal on the 0..1 scale that was weighted. */
  value: number;
  weight: number;
  /** weight × value: this term's share of the final score. */
  contribution: number;
}

export interface FusedResult {
  slug: string;
  score: number;
  explain: {
    keyword: TermExplain & { rank: number | null };
    semantic?: TermExplain & { best: { kind: string; position: number } };
    phrasing?: TermExplain & { matched: string | null };
    rerank?: TermExplain;
    /** The preset's instruction: a preset term, gated and steered like boosts (contribution = weight × value × steering). */
    instruction?: TermExplain & { steering: number; gated: PresetGate | false };
    /** The caller's own instruction for this search. */
    request_instruction?: TermExplain;
    /** Preset boosts: what matched, the query's steering, and why they did not apply (gated) if they did not. */
    boosts?: { contribution: number; applied: AppliedBoost[]; steering: number; gated: PresetGate | false };
    freshness?: { contribution: number; age_days: number; decay: number; weight: number; steering: number; gated: PresetGate | false };
    /** The click prior (CLICK_PRIOR_STRENGTH): gated like boosts, so clicks reorder relevant results only. */
    clicks?: { contribution: number; value: number; weight: number; clicks: number; impressions: number; expected: number; gated: boolean };
  };
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

function term(score: number, value: number, weight: number): TermExplain {
  return { score: round(score), value: round(value), weight, contribution: round(weight * value) };
}

/**
 * One score per candidate: a weighted sum of its signals, each explained. A missing signal counts
 * as 0 (e.g. no keyword match), except that a term nobody has (no reranker ran) is left out.
 * The preset's terms (instruction, boosts, freshness) come on top, scaled by `steering`
 * (presetSteering of the query) and only for candidates that fit the query (BOOST_GATE).
 * Ties keep the keyword order, then slug order, so results are stable.
 */
export function fuse(candidates: readonly FusionCandidate[], weights: FusionWeights, steering = 1): FusedResult[] {
  const maxKeyword = Math.max(0, ...candidates.map((c) => c.keyword?.score ?? 0));
  const hasSemantic = candidates.some((c) => c.semantic);
  const hasPhrasing = candidates.some((c) => c.phrasing);
  const hasRerank = candidates.some((c) => c.rerank);
  const instruction = rescaler(candidates.map((c) => c.instruction?.score));
  const requestInstruction = rescaler(candidates.map((c) => c.requestInstruction?.score));
  const fused = candidates.map((c): FusedResult => {
    const kwValue = c.keyword && maxKeyword > 0 ? Math.max(0, c.keyword.score) / maxKeyword : 0;
    const explain: FusedResult["explain"] = {
      keyword: { ...term(c.keyword?.score ?? 0, kwValue, weights.keyword), rank: c.keyword?.rank ?? null },
    };
    if (hasSemantic) {
      const s = c.semantic?.score ?? 0;
      explain.semantic = { ...term(s, Math.max(0, s), weights.semantic), best: c.semantic?.best ?? { kind: "none", position: 0 } };
    }
    if (hasPhrasing) {
      const p = c.phrasing?.score ?? 0;
      explain.phrasing = { ...term(p, Math.min(1, Math.max(0, p)), weights.phrasing), matched: c.phrasing?.phrasing ?? null };
    }
    if (hasRerank) {
      const r = c.rerank?.score ?? 0;
      explain.rerank = term(r, Math.min(1, Math.max(0, r)), weights.rerank);
    }
    if (instruction) explain.instruction = { ...instruction.term(c.instruction?.score, weights.instruction), steering: round(steering), gated: false };
    if (requestInstruction) explain.request_instruction = requestInstruction.term(c.requestInstruction?.score, weights.requestInstruction);
    const score =
      explain.keyword.contribution +
      (explain.semantic?.contribution ?? 0) +
      (explain.phrasing?.contribution ?? 0) +
      (explain.rerank?.contribution ?? 0) +
      (explain.request_instruction?.contribution ?? 0);
    return { slug: c.slug, score: round(score), explain };
  });
  applyPresetTerms(fused, candidates, steering);
  const keywordRank = (r: FusedResult) => r.explain.keyword.rank ?? Number.POSITIVE_INFINITY;
  return fused.sort((a, b) => b.score - a.score || keywordRank(a) - keywordRank(b) || a.slug.localeCompare(b.slug));
}

/** Share of the phrasing match in {@link queryRelevance} (docs/decisions/008). */
export const RELEVANCE_PHRASING_SHARE = 0.5;

/**
 * How well a result answers the query itself, for the relevance floor ("no results"): its
 * semantic similarity plus half its phrasing match, raw, whatever the fusion weights. Without
 * instructions, boosts, freshness or a second-stage reranker, so nothing a preset or an
 * instruction adds can make an unrelated article fit; without keyword evidence, which matches
 * stray words ("mount" in "how tall is mount everest") as readily as real ones.
 */
export function queryRelevance(result: FusedResult): number {
  const e = result.explain;
  return (e.semantic?.score ?? 0) + RELEVANCE_PHRASING_SHARE * (e.phrasing?.score ?? 0);
}

/**
 * Min-max rescaling of a similarity over the candidates (least aligned 0, most aligned 1), so an
 * instruction steers by a known amount whatever the model's similarity range; undefined when no
 * candidate has the signal.
 */
function rescaler(scores: readonly (number | undefined)[]): { term(score: number | undefined, weight: number): TermExplain } | undefined {
  const known = scores.filter((s): s is number => s !== undefined);
  if (!known.length) return undefined;
  const min = Math.min(...known);
  const range = Math.max(...known) - min;
  return { term: (score, weight) => term(score ?? 0, score === undefined || range <= 0 ? 0 : (score - min) / range, weight) };
}

/**
 * Adds the preset's terms (instruction, boosts, freshness) to the candidates that fit the query
 * (BOOST_GATE and coverage), scaled by the query's steering, and the click prior to those above
 * CLICK_PRIOR_GATE.
 */
function applyPresetTerms(fused: FusedResult[], candidates: readonly FusionCandidate[], steering: number): void {
  if (!candidates.some((c) => c.boosts?.length || c.freshness || c.clicks) && !fused.some((r) => r.explain.instruction)) return;
  const bySlug = new Map(candidates.map((c) => [c.slug, c]));
  const best = Math.max(0, ...fused.map((r) => r.score));
  const fits = (r: FusedResult) => r.score >= BOOST_GATE * best && r.score > 0;
  const bestCoverage = Math.max(0, ...fused.filter(fits).map((r) => bySlug.get(r.slug)!.coverage ?? 1));
  for (const result of fused) {
    const c = bySlug.get(result.slug)!;
    const gated: PresetGate | false = !fits(result) ? "score" : (c.coverage ?? 1) < bestCoverage - 1e-9 ? "coverage" : false;
    const scale = gated ? 0 : steering;
    const clickRelevant = result.score >= CLICK_PRIOR_GATE * best && result.score > 0;
    let added = 0;
    const instruction = result.explain.instruction;
    if (instruction) {
      instruction.contribution = round(instruction.weight * instruction.value * scale);
      instruction.gated = gated;
      added += instruction.contribution;
    }
    if (c.boosts?.length) {
      const applied = c.boosts.map((b) => ({ ...b, contribution: round(b.weight * BOOST_SCALE * scale) }));
      const contribution = round(applied.reduce((sum, b) => sum + b.contribution, 0));
      result.explain.boosts = { contribution, applied, steering: round(steering), gated };
      added += contribution;
    }
    if (c.freshness) {
      const contribution = round(c.freshness.weight * BOOST_SCALE * c.freshness.decay * scale);
      result.explain.freshness = { contribution, age_days: c.freshness.ageDays, decay: round(c.freshness.decay), weight: c.freshness.weight, steering: round(steering), gated };
      added += contribution;
    }
    if (c.clicks) {
      const value = clickPriorValue(c.clicks);
      const contribution = clickRelevant ? round(c.clicks.weight * value) : 0;
      result.explain.clicks = {
        contribution,
        value: round(value),
        weight: c.clicks.weight,
        clicks: c.clicks.clicks,
        impressions: c.clicks.impressions,
        expected: round(c.clicks.expected, 2),
        gated: !clickRelevant,
      };
      added += contribution;
    }
    result.score = round(result.score + added);
  }
}
