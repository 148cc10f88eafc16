import fs from "node:fs";
import { z } from "zod";
import { statementCache, type Db } from "~/db/db.server";
import { presetSchema, stripMeta, type PresetInput, type PresetSurface } from "./preset-schema";
import { isErrorNamed } from "~/errors";

export interface Preset extends PresetInput {
  version: number;
  updatedAt: string;
  updatedBy: string | null;
  /** Surfaces this preset is the default of. */
  defaultFor: PresetSurface[];
}

export interface PresetVersion {
  slug: string;
  version: number;
  snapshot: PresetInput;
  action: string;
  author: string | null;
  createdAt: string;
}

/** A preset change the caller must fix (maps to 400 on pages and the API). */
export class PresetError extends Error {
  override name = "PresetError";
  /** Matches this error from either copy of the app's code (app/errors.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isErrorNamed(value, "PresetError");
  }
  constructor(
    message: string,
    readonly field?: keyof PresetInput,
  ) {
    super(message);
  }
}

interface PresetRow {
  slug: string;
  name: string;
  surfaces: string;
  instruction: string | null;
  boosts: string;
  freshness: string | null;
  enabled: number;
  version: number;
  updated_at: string;
  updated_by: string | null;
}

const now = () => new Date().toISOString();

/** Presets with their version history and the default of each surface (data access only). */
export class PresetStore {
  /** Statements on every search's path, compiled once. */
  private readonly statement: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.statement = statementCache(db);
  }

  count(): number {
    return this.db.prepare("SELECT count(*) FROM presets").pluck().get() as number;
  }

  list(): Preset[] {
    const defaults = this.defaults();
    return (this.db.prepare("SELECT * FROM presets ORDER BY name").all() as PresetRow[]).map((row) => toPreset(row, defaults));
  }

  get(slug: string): Preset | undefined {
    const row = this.statement("SELECT * FROM presets WHERE slug = ?").get(slug) as PresetRow | undefined;
    return row && toPreset(row, this.defaults());
  }

  /** surface -> slug of its default preset. */
  defaults(): Partial<Record<PresetSurface, string>> {
    const rows = this.statement("SELECT surface, preset_slug FROM surface_defaults").all() as { surface: PresetSurface; preset_slug: string }[];
    return Object.fromEntries(rows.map((r) => [r.surface, r.preset_slug]));
  }

  defaultFor(surface: PresetSurface): Preset | undefined {
    const slug = this.defaults()[surface];
    return slug ? this.get(slug) : undefined;
  }

  create(input: PresetInput, author: string | null): Preset {
    const preset = presetSchema.parse(input);
    if (this.get(preset.slug)) throw new PresetError(`a preset with the slug ${preset.slug} already exists`, "slug");
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO presets (slug, name, surfaces, instruction, boosts, freshness, enabled, version, updated_at, updated_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
        )
        .run(preset.slug, preset.name, JSON.stringify(preset.surfaces), preset.instruction, JSON.stringify(preset.boosts), preset.freshness ? JSON.stringify(preset.freshness) : null, preset.enabled ? 1 : 0, now(), author);
      this.recordVersion(preset.slug, 1, preset, "created", author);
    }).immediate();
    return this.get(preset.slug)!;
  }

  /** Saves a new version (the slug cannot change). */
  update(slug: string, input: PresetInput, author: string | null, action = "updated"): Preset {
    const current = this.get(slug);
    if (!current) throw new PresetError(`no preset with the slug ${slug}`);
    const preset = presetSchema.parse({ ...input, slug });
    this.assertKeepsDefaults(current, preset);
    const version = this.nextVersion(slug);
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE presets SET name = ?, surfaces = ?, instruction = ?, boosts = ?, freshness = ?, enabled = ?, version = ?, updated_at = ?, updated_by = ?
           WHERE slug = ?`,
        )
        .run(preset.name, JSON.stringify(preset.surfaces), preset.instruction, JSON.stringify(preset.boosts), preset.freshness ? JSON.stringify(preset.freshness) : null, preset.enabled ? 1 : 0, version, now(), author, slug);
      this.recordVersion(slug, version, preset, action, author);
    }).immediate();
    return this.get(slug)!;
  }

  /** A new version with the content of an old one; history keeps every version in between. */
  rollback(slug: string, toVersion: number, author: string | null): Preset {
    const old = this.versions(slug).find((v) => v.version === toVersion);
    if (!old) throw new PresetError(`preset ${slug} has no version ${toVersion}`);
    return this.update(slug, old.snapshot, author, `rolled back to v${toVersion}`);
  }

  delete(slug: string, author: string | null): void {
    const current = this.get(slug);
    if (!current) throw new PresetError(`no preset with the slug ${slug}`);
    if (current.defaultFor.length) throw new PresetError(`${current.name} is the default of the ${current.defaultFor.join(" and ")} surface: make another preset the default first`);
    this.db.transaction(() => {
      this.recordVersion(slug, this.nextVersion(slug), stripMeta(current), "deleted", author);
      this.db.prepare("DELETE FROM presets WHERE slug = ?").run(slug);
    }).immediate();
  }

  setDefault(surface: PresetSurface, slug: string): void {
    const preset = this.get(slug);
    if (!preset) throw new PresetError(`no preset with the slug ${slug}`);
    if (!preset.surfaces.includes(surface)) throw new PresetError(`${preset.name} is not offered on the ${surface} surface`);
    if (!preset.enabled) throw new PresetError(`${preset.name} is disabled: enable it before making it a default`);
    this.db
      .prepare("INSERT INTO surface_defaults (surface, preset_slug) VALUES (?, ?) ON CONFLICT (surface) DO UPDATE SET preset_slug = excluded.preset_slug")
      .run(surface, slug);
  }

  versions(slug: string): PresetVersion[] {
    const rows = this.db.prepare("SELECT * FROM preset_versions WHERE slug = ? ORDER BY version DESC").all(slug) as {
      slug: string;
      version: number;
      snapshot: string;
      action: string;
      author: string | null;
      created_at: string;
    }[];
    return rows.map((r) => ({ slug: r.slug, version: r.version, snapshot: JSON.parse(r.snapshot) as PresetInput, action: r.action, author: r.author, createdAt: r.created_at }));
  }

  private nextVersion(slug: string): number {
    return ((this.db.prepare("SELECT max(version) FROM preset_versions WHERE slug = ?").pluck().get(slug) as number | null) ?? 0) + 1;
  }

  private recordVersion(slug: string, version: number, snapshot: PresetInput, action: string, author: string | null): void {
    this.db
      .prepare("INSERT INTO preset_versions (slug, version, snapshot, action, author, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(slug, version, JSON.stringify(snapshot), action, author, now());
  }

  /** A default preset must stay enabled and offered on the surface it is the default of. */
  private assertKeepsDefaults(current: Preset, next: PresetInput): void {
    for (const surface of current.defaultFor) {
      if (!next.surfaces.includes(surface)) throw new PresetError(`this preset is the ${surface} default: it must stay on the ${surface} surface`, "surfaces");
      if (!next.enabled) throw new PresetError(`this preset is the ${surface} default: it cannot be disabled`, "enabled");
    }
  }
}

function toPreset(row: PresetRow, defaults: Partial<Record<PresetSurface, string>>): Preset {
  return {
    slug: row.slug,
    name: row.name,
    surfaces: JSON.parse(row.surfaces) as PresetSurface[],
    instruction: row.instruction,
    boosts: JSON.parse(row.boosts) as PresetInput["boosts"],
    freshness: row.freshness ? (JSON.parse(row.freshness) as PresetInput["freshness"]) : null,
    enabled: row.enabled === 1,
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    defaultFor: (Object.entries(defaults) as [PresetSurface, string][]).filter(([, slug]) => slug === row.slug).map(([s]) => s),
  };
}


const seedFileSchema = z.object({
  presets: z.array(presetSchema),
  defaults: z.object({ help: z.string(), agent: z.string() }),
});

/** Creates the presets of seed/presets.json when the database has none. */
export function seedPresets(presets: PresetStore, file: string): number {
  if (presets.count() > 0 || !fs.existsSync(file)) return 0;
  const seed = seedFileSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  for (const preset of seed.presets) presets.create(preset, "seed");
  presets.setDefault("help", seed.defaults.help);
  presets.setDefault("agent", seed.defaults.agent);
  return seed.presets.length;
}
