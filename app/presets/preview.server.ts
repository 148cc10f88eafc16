import { search } from "~/search/pipeline.server";
import type { Surface } from "~/search/search-request";
import type { Services } from "~/services.server";
import { hasPresetTerms, type PresetSource } from "./active-preset";
import type { PresetInput } from "./preset-schema";

export interface PreviewRow {
  slug: string;
  title: string;
  audience: string;
  score: number;
  /** Position in the keyword order minus position here: +2 = moved up two places. null = not in the keyword top. */
  change: number | null;
}

export interface PresetPreview {
  query: string;
  surface: Surface;
  keyword: PreviewRow[];
  saved: PreviewRow[] | null;
  draft: PreviewRow[];
  /** How much the draft steers this query (1: fully, for a query that says little; docs/decisions/007); null when it has nothing to steer with. */
  steering: number | null;
}

const DEPTH = 10;

/**
 * Three rankings of one query side by side: keyword order, the saved preset, and the draft being
 * edited (not saved: the draft is handed to the pipeline in place of the stored preset).
 */
export async function previewPreset(
  services: Services,
  input: { query: string; surface: Surface; savedSlug?: string; draft: PresetInput },
): Promise<PresetPreview> {
  const deps = services.searchDeps();
  const access = { internal: input.surface === "agent" };
  const request = { q: input.query, surface: input.surface, limit: DEPTH, offset: 0 };
  const keyword = await search(deps, request, "keyword", access);
  const keywordRank = new Map(keyword.results.map((r, i) => [r.slug, i]));
  const rows = (results: typeof keyword.results): PreviewRow[] =>
    results.map((r, i) => ({
      slug: r.slug,
      title: r.title,
      audience: r.audience,
      score: r.score,
      change: keywordRank.has(r.slug) ? keywordRank.get(r.slug)! - i : null,
    }));
  const saved = input.savedSlug && services.presets.get(input.savedSlug)?.surfaces.includes(input.surface)
    ? await search(deps, { ...request, preset: input.savedSlug }, "full", access)
    : null;
  const draftSlug = `${input.draft.slug}--draft`;
  const withDraft: PresetSource = {
    get: (slug) => (slug === draftSlug ? { ...input.draft, slug: draftSlug, enabled: true, surfaces: [input.surface] } : services.presets.get(slug)),
    defaultFor: (surface) => services.presets.defaultFor(surface),
  };
  const draft = await search({ ...deps, presets: withDraft }, { ...request, preset: draftSlug }, "full", access);
  return {
    query: input.query,
    surface: input.surface,
    keyword: rows(keyword.results),
    saved: saved ? rows(saved.results) : null,
    draft: rows(draft.results),
    steering: hasPresetTerms(input.draft) ? draft.instruction.steering : null,
  };
}
