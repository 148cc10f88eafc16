-- Searches people were shown (impressions) and what they did next, for analytics and the click prior.
-- A search is logged before its results are sent, so a click can never name an unknown search.
-- `settled_at` is NULL while a search is a search-as-you-type prefix; only settled ones count.
CREATE TABLE searches (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  settled_at TEXT,
  surface TEXT NOT NULL,
  -- Who searched: 'user:<id>', 'key:<id>' or 'visitor:<random id>' (the unit of A/B tests).
  session_key TEXT NOT NULL,
  user_id INTEGER,
  -- Order numbers, e-mail addresses and phone numbers are masked before storage.
  query TEXT NOT NULL,
  -- The masked query, lowercased and stripped of punctuation: what the click prior is keyed on.
  query_key TEXT NOT NULL,
  preset TEXT,
  variant TEXT,
  experiment_id INTEGER,
  reranker_status TEXT NOT NULL,
  total INTEGER NOT NULL,
  latency_ms REAL NOT NULL
);
CREATE INDEX searches_time ON searches (surface, created_at);
CREATE INDEX searches_session ON searches (session_key, created_at);

-- The results a search showed, in order (position 0 is the top).
CREATE TABLE search_results (
  search_id TEXT NOT NULL REFERENCES searches (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  slug TEXT NOT NULL,
  score REAL NOT NULL,
  PRIMARY KEY (search_id, position)
);

CREATE INDEX events_search ON events (search_id, kind);

-- The click prior's counts, kept up to date as searches settle and clicks arrive.
-- Per position: how often a result shown there is clicked (the position-bias curve).
CREATE TABLE click_position_stats (
  surface TEXT NOT NULL,
  position INTEGER NOT NULL,
  impressions INTEGER NOT NULL DEFAULT 0,
  clicks INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (surface, position)
);
-- Per (query, article): impressions, clicks, and the clicks its positions would have got on average.
CREATE TABLE click_stats (
  query_key TEXT NOT NULL,
  slug TEXT NOT NULL,
  impressions INTEGER NOT NULL DEFAULT 0,
  clicks INTEGER NOT NULL DEFAULT 0,
  expected_clicks REAL NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (query_key, slug)
);
