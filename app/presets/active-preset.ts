import { BadRequestError, type Surface } from "~/search/search-request";
import type { Boost, Freshness, PresetInput } from "./preset-schema";

/** What the pipeline needs of a preset. */
export interface ActivePreset {
  slug: string;
  instruction: string | null;
  boosts: Boost[];
  freshness: Freshness | null;
}

/** Read access to presets (PresetStore implements it; tests and the preview may pass drafts). */
export interface PresetSource {
  get(slug: string): (PresetInput & { enabled: boolean }) | undefined;
  defaultFor(surface: Surface): PresetInput | undefined;
}

/** Used while a database has no presets yet: the surface itself, with no steering. */
const neutral = (surface: Surface): ActivePreset => ({ slug: surface, instruction: null, boosts: [], freshness: null });

/**
 * Which preset applies: an explicit `preset=` wins, then an A/B arm (the feedback issue passes
 * `abArm`), then the surface default. A free `instruction` is added to the preset's own.
 */
export function resolvePreset(
  source: PresetSource | undefined,
  request: { surface: Surface; preset?: string; instruction?: string; abArm?: string },
): { preset: ActivePreset; instruction: string | null } {
  const wanted = request.preset ?? request.abArm;
  let preset: ActivePreset;
  if (wanted) {
    const found = source?.get(wanted) ?? (wanted === request.surface ? { ...neutral(request.surface), name: wanted, surfaces: [request.surface], enabled: true } : undefined);
    if (!found) throw new BadRequestError(`preset ${wanted} does not exist`, [{ field: "preset", message: "unknown preset" }]);
    if (!found.enabled) throw new BadRequestError(`preset ${wanted} is disabled`, [{ field: "preset", message: "disabled" }]);
    if (!found.surfaces.includes(request.surface)) {
      throw new BadRequestError(`preset ${wanted} is for the ${found.surfaces.join(" and ")} surface only, not ${request.surface}`, [{ field: "preset", message: "not offered on this surface" }]);
    }
    preset = toActive(found);
  } else {
    const fallback = source?.defaultFor(request.surface);
    preset = fallback ? toActive(fallback) : neutral(request.surface);
  }
  const parts = [preset.instruction, request.instruction].filter((p): p is string => Boolean(p && p.trim()));
  return { preset, instruction: parts.length ? parts.join("\n") : null };
}

/** Whether a preset has anything that steers ranking (instruction, boosts, freshness); the surface defaults have not. */
export function hasPresetTerms(preset: Pick<ActivePreset, "instruction" | "boosts" | "freshness">): boolean {
  return Boolean(preset.instruction || preset.boosts.length || preset.freshness);
}

export function toActive(preset: PresetInput): ActivePreset {
  return { slug: preset.slug, instruction: preset.instruction, boosts: preset.boosts, freshness: preset.freshness };
}
