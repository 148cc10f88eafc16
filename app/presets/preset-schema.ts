import { z } from "zod";
import { SLUG_PATTERN } from "~/articles/article-schema";

export const PRESET_SURFACES = ["help", "agent"] as const;
export type PresetSurface = (typeof PRESET_SURFACES)[number];
export const BOOST_KINDS = ["category", "tag", "article"] as const;
export type BoostKind = (typeof BOOST_KINDS)[number];
export const MAX_PRESET_INSTRUCTION = 500;
export const MAX_BOOSTS = 50;

export const boostSchema = z.object({
  kind: z.enum(BOOST_KINDS),
  /** A category slug, a tag (as written in front matter) or an article slug. */
  value: z.string().trim().min(1).max(120),
  /** In [-1, 1]; see docs/decisions/007 for what a weight does to the score. */
  weight: z.number().min(-1).max(1),
});
export type Boost = z.infer<typeof boostSchema>;

export const freshnessSchema = z.object({
  halfLifeDays: z.number().int().min(1).max(3650),
  weight: z.number().min(0).max(1),
});
export type Freshness = z.infer<typeof freshnessSchema>;

/** A preset as stored and used by the pipeline. */
export const presetSchema = z.object({
  slug: z.string().min(2).max(60).regex(SLUG_PATTERN, "Use lowercase letters, digits and single hyphens, e.g. shipping-status-first"),
  name: z.string().trim().min(1, "Give the preset a name").max(80),
  surfaces: z.array(z.enum(PRESET_SURFACES)).min(1, "Choose at least one surface"),
  instruction: z.string().trim().max(MAX_PRESET_INSTRUCTION, `Use at most ${MAX_PRESET_INSTRUCTION} characters`).nullable(),
  boosts: z.array(boostSchema).max(MAX_BOOSTS),
  freshness: freshnessSchema.nullable(),
  enabled: z.boolean(),
});
export type PresetInput = z.infer<typeof presetSchema>;

/** "category:shipping +0.5" — one boost per line, as admins type them. */
const BOOST_LINE = /^(category|tag|article)\s*:\s*(.+?)\s+([+-]?\d+(?:\.\d+)?)$/i;

export function formatBoosts(boosts: readonly Boost[]): string {
  return boosts.map((b) => `${b.kind}:${b.value} ${b.weight >= 0 ? "+" : ""}${b.weight}`).join("\n");
}

export function parseBoostLines(text: string, ctx: z.RefinementCtx): Boost[] {
  const boosts: Boost[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const match = BOOST_LINE.exec(line);
    if (!match) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["boosts"], message: `Line ${i + 1}: write kind:value weight, e.g. "category:shipping +0.5" (kind is category, tag or article)` });
      return;
    }
    const weight = Number(match[3]);
    if (weight < -1 || weight > 1) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["boosts"], message: `Line ${i + 1}: the weight must be between -1 and 1` });
      return;
    }
    boosts.push({ kind: match[1]!.toLowerCase() as BoostKind, value: match[2]!.trim(), weight });
  });
  if (boosts.length > MAX_BOOSTS) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["boosts"], message: `Use at most ${MAX_BOOSTS} boosts` });
  return boosts;
}

const optionalNumber = (schema: z.ZodNumber) => z.preprocess((v) => (v === "" || v === undefined ? undefined : Number(v)), schema.optional());

/** The editor form (Conform + zod, the same schema in the browser and on the server). */
export const presetFormSchema = z
  .object({
    slug: presetSchema.shape.slug,
    name: presetSchema.shape.name,
    surfaces: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), presetSchema.shape.surfaces),
    instruction: z.string().trim().max(MAX_PRESET_INSTRUCTION, `Use at most ${MAX_PRESET_INSTRUCTION} characters`).optional(),
    boosts: z.string().max(5000).optional(),
    freshnessHalfLifeDays: optionalNumber(z.number({ invalid_type_error: "Enter a number of days" }).int().min(1, "At least 1 day").max(3650, "At most 3650 days")),
    freshnessWeight: optionalNumber(z.number({ invalid_type_error: "Enter a number" }).min(0, "Between 0 and 1").max(1, "Between 0 and 1")),
    enabled: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  })
  .transform((form, ctx): PresetInput => {
    const boosts = parseBoostLines(form.boosts ?? "", ctx);
    const hasFreshness = form.freshnessHalfLifeDays !== undefined || form.freshnessWeight !== undefined;
    if (hasFreshness && (form.freshnessHalfLifeDays === undefined || form.freshnessWeight === undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["freshnessHalfLifeDays"], message: "Give both a half-life and a weight, or neither" });
    }
    return {
      slug: form.slug,
      name: form.name,
      surfaces: form.surfaces,
      instruction: form.instruction ? form.instruction : null,
      boosts,
      freshness: hasFreshness && form.freshnessHalfLifeDays !== undefined && form.freshnessWeight !== undefined
        ? { halfLifeDays: form.freshnessHalfLifeDays, weight: form.freshnessWeight }
        : null,
      enabled: form.enabled,
    };
  });

/** The editable fields of a stored preset (drops version and audit fields). */
export function stripMeta(preset: PresetInput): PresetInput {
  const { slug, name, surfaces, instruction, boosts, freshness, enabled } = preset;
  return { slug, name, surfaces, instruction, boosts, freshness, enabled };
}
