-- The click counts that ranking reads: a copy of click_stats published every CLICK_PRIOR_REFRESH_S
-- by one process, so that every server process ranks a query the same way until the next
-- publication (and a reload shows the same order).
CREATE TABLE click_prior (
  query_key TEXT NOT NULL,
  slug TEXT NOT NULL,
  impressions INTEGER NOT NULL,
  clicks INTEGER NOT NULL,
  expected_clicks REAL NOT NULL,
  PRIMARY KEY (query_key, slug)
);
CREATE INDEX click_stats_updated ON click_stats (updated_at);
