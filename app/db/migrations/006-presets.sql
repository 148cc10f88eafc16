-- Instruction presets: the current state of each preset, every saved version (a full snapshot,
-- so history shows diffs and rollback copies an old version into a new one), and the default
-- preset of each surface. Versions outlive a deleted preset, so its history stays readable.
CREATE TABLE presets (
  slug TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  surfaces TEXT NOT NULL,          -- JSON array: ["help"], ["agent"] or both
  instruction TEXT,
  boosts TEXT NOT NULL,            -- JSON array of {kind, value, weight}
  freshness TEXT,                  -- JSON {halfLifeDays, weight} or NULL
  enabled INTEGER NOT NULL,
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT
);

CREATE TABLE preset_versions (
  slug TEXT NOT NULL,
  version INTEGER NOT NULL,
  snapshot TEXT NOT NULL,          -- JSON of the preset as saved
  action TEXT NOT NULL,            -- created | updated | rolled back to vN | deleted
  author TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (slug, version)
);

CREATE TABLE surface_defaults (
  surface TEXT PRIMARY KEY CHECK (surface IN ('help', 'agent')),
  preset_slug TEXT NOT NULL REFERENCES presets (slug)
);
