import type { Audience, Locale } from "~/articles/article-schema";
import type { SearchEngine } from "./engines/engine";
import type { SearchRequest, Surface } from "./search-request";
import { detectLocale } from "./text";

export interface SearchResultItem {
  slug: string;
  title: string;
  title_html: string;
  snippet: string;
  category: string;
  audience: Audience;
  locale: Locale;
  url: string;
  score: number;
  explain: { keyword: { rank: number; score: number } };
}

export interface SearchResponse {
  query: string;
  surface: Surface;
  engine: string;
  locale: Locale | "all";
  timings: { retrieve_ms: number; total_ms: number };
  total: number;
  limit: number;
  offset: number;
  results: SearchResultItem[];
}

/**
 * Which audiences a surface may see. Until sign-in exists nobody is known to be an agent,
 * so every surface gets public articles only: an internal article must never leak.
 */
export function audiencesFor(_surface: Surface): readonly Audience[] {
  return ["public"];
}

export async function search(engine: SearchEngine, request: SearchRequest): Promise<SearchResponse> {
  const started = performance.now();
  const locale = request.locale ?? detectLocale(request.q);
  const keyword = await engine.search({
    text: request.q,
    audiences: audiencesFor(request.surface),
    locale: locale === "all" ? undefined : locale,
    category: request.category,
    limit: request.limit,
    offset: request.offset,
  });
  const retrieved = performance.now();
  return {
    query: request.q,
    surface: request.surface,
    engine: engine.name,
    locale,
    timings: { retrieve_ms: round(retrieved - started), total_ms: round(performance.now() - started) },
    total: keyword.total,
    limit: request.limit,
    offset: request.offset,
    results: keyword.hits.map((hit) => ({
      slug: hit.slug,
      title: hit.title,
      title_html: hit.titleHtml,
      snippet: hit.snippetHtml,
      category: hit.category,
      audience: hit.audience,
      locale: hit.locale,
      url: `/articles/${hit.slug}`,
      score: round(hit.score, 4),
      explain: { keyword: { rank: hit.rank, score: round(hit.score, 4) } },
    })),
  };
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
