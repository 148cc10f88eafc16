-- A/B tests of presets: sessions of a surface are split between preset A and preset B by a
-- stable hash of (experiment, session); each search logs its arm (searches.variant, experiment_id).
CREATE TABLE experiments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  surface TEXT NOT NULL,
  preset_a TEXT NOT NULL,
  preset_b TEXT NOT NULL,
  -- Share of sessions that get preset B, in (0, 1).
  split_b REAL NOT NULL,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  stopped_at TEXT,
  created_by TEXT
);
-- At most one running experiment per surface.
CREATE UNIQUE INDEX experiments_running ON experiments (surface) WHERE stopped_at IS NULL;
CREATE INDEX searches_experiment ON searches (experiment_id, variant);
