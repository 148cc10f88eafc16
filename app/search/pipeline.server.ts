import type { Audience, Locale } from "~/articles/article-schema";
import type { ArticleStore } from "~/articles/store.server";
import type { RerankDocument, RerankFailureReason } from "~/rerank/reranker";
import type { KeywordResult, SearchEngine } from "./engines/engine";
import { queryKey } from "./query-key";
import type { PhrasingIndex, PhrasingScores } from "./lexical/phrasing-index";
import type { Correction, SpellingCorrector } from "./lexical/spelling.server";
import { fuse, presetSteering, queryRelevance, type FusedResult, type FusionCandidate, type FusionWeights } from "./fusion";
import type { QueryInformation } from "./lexical/query-information";
import { hasPresetTerms, resolvePreset, type ActivePreset, type PresetSource } from "~/presets/active-preset";
import { BadRequestError, type SearchRequest, type Surface } from "./search-request";
import type { SemanticScores } from "./semantic/semantic-index.server";
import type { SemanticStages } from "./semantic/semantic-stages.server";
import { excerptHtml } from "./snippet";
import { instructionTopic } from "../../model/instruction-topic";
import { detectLocale, escapeHtml } from "./text";

/** What the pipeline runs: keyword only, semantic only, both fused, or everything (the default). */
export type PipelineMode = "keyword" | "semantic" | "hybrid" | "full";

/** A reranker guarded by timeout and circuit breaker (app/rerank/resilient-reranker.server.ts). */
export interface GuardedReranker {
  readonly name: string;
  readonly model: string;
  scoreOrFallback(
    query: string,
    instruction: string | undefined,
    documents: RerankDocument[],
  ): Promise<
    | { status: "ok"; scores: number[]; ms: number }
    | { status: "fallback"; reason: RerankFailureReason; message: string; ms: number }
  >;
}

export interface SearchDeps {
  engine: SearchEngine;
  store: ArticleStore;
  /** The embedded sentence encoders and their indexes, by locale; absent when SEMANTIC=false. */
  semantic?: SemanticStages;
  /** Word overlap with each article's written phrasings (title and `questions`). */
  phrasing?: PhrasingIndex;
  /** Typo correction against the public articles' words; absent when SPELL_CORRECTION=false. */
  spelling?: SpellingCorrector;
  /** Instruction presets (the database); absent means every surface runs unsteered. */
  presets?: PresetSource;
  /** What preset boosts and freshness look at, per article slug. */
  articleMeta?: ReadonlyMap<string, ArticleMeta>;
  /** How much a query says and how much of it each article contains: how far a preset steers (fusion.ts presetSteering). */
  queryInformation?: QueryInformation;
  /** A second-stage reranker (cross-encoder or remote); absent for RERANKER=embedding|off. */
  reranker?: GuardedReranker;
  /** RERANKER as configured, for the API's `reranker` field. */
  rerankerName: string;
  weights: FusionWeights;
  /** Candidates taken from each retriever. */
  recallK: number;
  /** Semantic hits below this cosine are not candidates (they still score keyword hits). */
  minSemanticScore: number;
  /** Passages per candidate article sent to a second-stage reranker. */
  rerankPassages: number;
  /**
   * Per query locale: when no candidate's query relevance (fusion.ts `queryRelevance`) reaches
   * this, nothing fits and the search has no results (docs/decisions/008). Applies only where the
   * locale's semantic stage ran, since the floor was calibrated on its scores.
   */
  relevanceFloor?: Partial<Record<Locale, number>>;
  /** Past clicks per (query, article), added in fusion as `explain.clicks`; absent when switched off. */
  clickPrior?: { weight: number; stats(queryKey: string, slugs: readonly string[]): ReadonlyMap<string, { impressions: number; clicks: number; expected: number }> };
}

export interface ArticleMeta {
  category: string;
  tags: readonly string[];
  updated: string;
  /** The same article in the other language (front matter `translation`): an article boost applies to both. */
  translation?: string;
}

export interface RerankerStatus {
  name: string;
  model?: string;
  status: "ok" | "fallback" | "off";
  reason?: RerankFailureReason | "locale";
  message?: string;
}

export interface SearchResultItem {
  slug: string;
  title: string;
  title_html: string;
  snippet: string;
  category: string;
  audience: Audience;
  locale: Locale;
  updated: string;
  url: string;
  score: number;
  explain: FusedResult["explain"];
}

export interface SearchResponse {
  query: string;
  /** The query as searched after spelling correction; null when nothing was corrected. */
  corrected_query: string | null;
  corrections: Correction[];
  surface: Surface;
  engine: string;
  locale: Locale | "all";
  /**
   * The instruction that applied: the preset, its instruction plus the caller's, and how much the
   * preset steered this query (1 for a query that says little, less for a specific one).
   */
  instruction: { preset: string | null; text: string | null; steering: number };
  reranker: RerankerStatus;
  timings: { retrieve_ms: number; rerank_ms: number; total_ms: number };
  total: number;
  limit: number;
  offset: number;
  results: SearchResultItem[];
}

/** What the caller may see, decided by the route from who is asking (app/auth/auth.server.ts). */
export interface SearchAccess {
  /** A signed-in agent or admin, or an `internal`-scoped API key. */
  internal: boolean;
}

export const PUBLIC_ACCESS: SearchAccess = { internal: false };

/**
 * Which audiences a surface may see: internal articles only on the agent surface and only for a
 * caller allowed to see them; the help surface never gets one, whoever asks.
 */
export function audiencesFor(surface: Surface, access: SearchAccess = PUBLIC_ACCESS): readonly Audience[] {
  return surface === "agent" && access.internal ? ["public", "internal"] : ["public"];
}

/** Where a result opens: the article page of the surface it was found on. */
export function articleUrl(surface: Surface, slug: string): string {
  return surface === "agent" ? `/agent/articles/${slug}` : `/help/articles/${slug}`;
}

/** Long digit runs (order or phone numbers) carry no meaning for a sentence encoder. */
export function textForEncoder(query: string): string {
  const cleaned = query.replace(/\b\d{5,}\b/g, " ").replace(/\s+/g, " ").trim();
  return cleaned || query;
}

/** Evaluation modes rank by one signal alone; "hybrid" and "full" use the configured weights. */
const MODE_WEIGHTS: Partial<Record<PipelineMode, FusionWeights>> = {
  keyword: { keyword: 1, semantic: 0, phrasing: 0, rerank: 0, instruction: 0, requestInstruction: 0 },
  semantic: { keyword: 0, semantic: 1, phrasing: 0, rerank: 0, instruction: 0, requestInstruction: 0 },
};

const ms = (from: number, to = performance.now()) => Math.round((to - from) * 100) / 100;

export async function search(
  deps: SearchDeps,
  request: SearchRequest,
  mode: PipelineMode = "full",
  access: SearchAccess = PUBLIC_ACCESS,
): Promise<SearchResponse> {
  const started = performance.now();
  const locale = request.locale ?? detectLocale(request.q);
  const audiences = audiencesFor(request.surface, access).filter((a) => !request.audience || a === request.audience);
  const filter = { audiences, locale: locale === "all" ? undefined : locale, category: request.category };
  if (request.category) {
    // Only the categories this caller may see are named: a customer never learns an internal one.
    const known = deps.store.categories(audiencesFor(request.surface, access)).map((c) => c.category);
    if (!known.includes(request.category)) {
      throw new BadRequestError(`category must be one of: ${known.join(", ")}`, [{ field: "category", message: "unknown category" }]);
    }
  }
  const { preset, instruction } = resolvePreset(deps.presets, request);

  // 0. Understand: fix typos unless the user asked for the words exactly as typed.
  const correction = deps.spelling && !request.exact ? deps.spelling.correct(request.q) : { text: request.q, corrections: [] };
  const text = correction.text;

  // 1. Retrieve: keyword top-K, united with semantic top-K and phrasing top-K.
  const keyword: KeywordResult = mode === "semantic"
    ? { hits: [], total: 0, marks: async () => new Map() }
    : await deps.engine.search({ text, ...filter, limit: deps.recallK, offset: 0 });
  // The encoder that serves the query's locale (with locale=all: the language the query is in).
  const queryLocale = filter.locale ?? detectLocale(request.q);
  const stage = deps.semantic?.forLocale(queryLocale);
  let semanticScores: SemanticScores | undefined;
  let semanticTop: ReturnType<SemanticScores["top"]> = [];
  if (mode !== "keyword" && stage) {
    const vector = await stage.embedder.embedOne(textForEncoder(text), "query");
    semanticScores = await stage.index.score(vector);
    semanticTop = semanticScores.top(filter, deps.recallK).filter((m) => m.score >= deps.minSemanticScore);
  }
  const phrasingScores: PhrasingScores | undefined = (mode === "hybrid" || mode === "full") ? deps.phrasing?.score(text) : undefined;
  const phrasingTop = phrasingScores?.top(filter, deps.recallK) ?? [];
  const retrieved = performance.now();

  // 2. Score every candidate with every signal.
  const keywordBySlug = new Map(keyword.hits.map((h) => [h.slug, h]));
  const slugs = [...new Set([...keyword.hits.map((h) => h.slug), ...semanticTop.map((m) => m.slug), ...phrasingTop.map((m) => m.slug)])];
  const candidates: FusionCandidate[] = slugs.map((slug) => ({
    slug,
    keyword: keywordBySlug.get(slug),
    semantic: semanticScores?.get(slug),
    phrasing: phrasingScores?.get(slug),
  }));
  let steering = 1;
  if (mode === "full") {
    addPresetTerms(candidates, preset, deps.articleMeta);
    if (deps.queryInformation && hasPresetTerms(preset)) {
      const measured = deps.queryInformation.measure(text);
      steering = presetSteering(measured.information);
      for (const c of candidates) c.coverage = measured.coverage(c.slug);
    }
  }
  if (mode === "full" && deps.clickPrior) {
    const stats = deps.clickPrior.stats(queryKey(request.q), slugs);
    for (const c of candidates) {
      const s = stats.get(c.slug);
      if (s) c.clicks = { ...s, weight: deps.clickPrior.weight };
    }
  }
  if (mode === "full" && stage) {
    // An instruction is compared with what each article is about: its title and tags, its
    // written questions and its passages (the mean of its best units, like the query). The
    // preset's standing instruction and the caller's own are separate terms (fusion.ts).
    const about = async (instructionText: string | undefined) => {
      const topic = instructionText ? instructionTopic(instructionText) : "";
      return topic ? await stage.index.scoreRecurring(topic, (t) => stage.embedder.embedOne(t, "query")) : undefined;
    };
    const [presetAbout, requestAbout] = await Promise.all([about(preset.instruction ?? undefined), about(request.instruction)]);
    for (const c of candidates) {
      const presetScore = presetAbout?.get(c.slug)?.score;
      if (presetScore !== undefined) c.instruction = { score: presetScore };
      const requestScore = requestAbout?.get(c.slug)?.score;
      if (requestScore !== undefined) c.requestInstruction = { score: requestScore };
    }
  }

  // 3. Second-stage reranker (cross-encoder or remote), with fallback to the fused order.
  const rerankStarted = performance.now();
  const rerankerStatus = await rerankStage(deps, mode, text, instruction ?? undefined, candidates, stage?.embedder.modelId);
  // Why a remote reranker failed (its URL, its error body) is for agents and the server log, not for customers.
  const { message: _detail, ...publicStatus } = rerankerStatus;
  const reranker: RerankerStatus = access.internal ? rerankerStatus : publicStatus;
  const rerankMs = ms(rerankStarted);

  // 4. Fuse, page, and present.
  const weights = MODE_WEIGHTS[mode] ?? deps.weights;
  const floor = stage && (mode === "full" || mode === "hybrid") ? deps.relevanceFloor?.[queryLocale] : undefined;
  const ranked = fuse(candidates, weights, steering);
  // Nothing fits when even the most relevant candidate is below the floor; otherwise the ranking
  // stands whole (cutting its tail too cost dev recall@20 0.925 -> 0.871).
  const nothingFits = floor !== undefined && Math.max(-Infinity, ...ranked.map(queryRelevance)) < floor;
  const fused = nothingFits ? [] : ranked;
  const page = fused.slice(request.offset, request.offset + request.limit);
  const articles = deps.store.listingsBySlug(page.map((r) => r.slug));
  const marks = await keyword.marks(page.map((r) => r.slug));
  const results = page.flatMap((r): SearchResultItem[] => {
    const article = articles.get(r.slug);
    if (!article) return [];
    const marked = marks.get(r.slug);
    return [
      {
        slug: article.slug,
        title: article.title,
        title_html: marked?.titleHtml ?? escapeHtml(article.title),
        // No keyword match to mark: an excerpt of the passage that matched in meaning, or of the body.
        snippet: marked?.snippetHtml ?? excerptHtml(bestText(deps, article.id, r.explain.semantic?.best), text),
        category: article.category,
        audience: article.audience,
        locale: article.locale,
        updated: article.updated,
        url: articleUrl(request.surface, article.slug),
        score: r.score,
        explain: r.explain,
      },
    ];
  });
  return {
    query: request.q,
    corrected_query: correction.corrections.length ? text : null,
    corrections: correction.corrections,
    surface: request.surface,
    engine: deps.engine.name,
    locale,
    instruction: { preset: preset.slug, text: instruction, steering: Math.round(steering * 1e4) / 1e4 },
    reranker,
    timings: { retrieve_ms: ms(started, retrieved), rerank_ms: rerankMs, total_ms: ms(started) },
    total: fused.length,
    limit: request.limit,
    offset: request.offset,
    results,
  };
}

/** Marks each candidate with the preset boosts that match it and its freshness (fusion gates them). */
function addPresetTerms(candidates: FusionCandidate[], preset: ActivePreset, meta: ReadonlyMap<string, ArticleMeta> | undefined): void {
  if (!meta || (!preset.boosts.length && !preset.freshness)) return;
  const today = Date.now();
  for (const c of candidates) {
    const article = meta.get(c.slug);
    if (!article) continue;
    const tags = new Set(article.tags.map((t) => t.toLowerCase()));
    const boosts = preset.boosts.filter((b) =>
      b.kind === "article"
        ? b.value === c.slug || b.value === article.translation
        : b.kind === "category" ? b.value === article.category : tags.has(b.value.toLowerCase()),
    );
    if (boosts.length) c.boosts = boosts;
    if (preset.freshness) {
      const ageDays = Math.max(0, Math.round((today - Date.parse(article.updated)) / 86_400_000));
      c.freshness = { decay: 2 ** (-ageDays / preset.freshness.halfLifeDays), weight: preset.freshness.weight, ageDays };
    }
  }
}

function bestText(deps: SearchDeps, articleId: number, best?: { kind: string; position: number }): string {
  return deps.store.bodyText(articleId, best?.kind === "passage" ? best.position : undefined) ?? "";
}

async function rerankStage(
  deps: SearchDeps,
  mode: PipelineMode,
  query: string,
  instruction: string | undefined,
  candidates: FusionCandidate[],
  /** The encoder that served this query's locale; undefined when none does. */
  encoderModel: string | undefined,
): Promise<RerankerStatus> {
  if (mode !== "full" || deps.rerankerName === "off") return { name: deps.rerankerName, status: "off" };
  if (!deps.reranker) {
    // The embedded reranker: its score is the semantic term, already computed.
    return encoderModel
      ? { name: deps.rerankerName, model: encoderModel, status: "ok" }
      : { name: deps.rerankerName, model: deps.semantic?.modelIds.join(", "), status: "fallback", reason: "locale", message: `no sentence encoder serves this locale (they serve ${deps.semantic?.locales.join(", ") || "none"}): ranked by matching words` };
  }
  const documents: RerankDocument[] = [];
  const owner: number[] = [];
  const articles = deps.store.getManyBySlug(candidates.map((c) => c.slug));
  candidates.forEach((c, i) => {
    const article = articles.get(c.slug);
    if (!article) return;
    const passages = deps.store.passages(article.id);
    const best = c.semantic?.best.kind === "passage" ? c.semantic.best.position : undefined;
    const ordered = best === undefined ? passages : [...passages].sort((a, b) => Number(b.position === best) - Number(a.position === best));
    for (const p of ordered.slice(0, deps.rerankPassages)) {
      documents.push({ id: `${c.slug}#${p.position}`, text: `${article.title}\n${p.heading ? `${p.heading}\n` : ""}${p.text}`, hash: p.contentHash });
      owner.push(i);
    }
  });
  const outcome = await deps.reranker.scoreOrFallback(query, instruction, documents);
  if (outcome.status === "fallback") {
    return { name: deps.reranker.name, model: deps.reranker.model, status: "fallback", reason: outcome.reason, message: outcome.message };
  }
  outcome.scores.forEach((score, d) => {
    const c = candidates[owner[d]!]!;
    if (!c.rerank || score > c.rerank.score) c.rerank = { score };
  });
  return { name: deps.reranker.name, model: deps.reranker.model, status: "ok" };
}
