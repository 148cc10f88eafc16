-- Vectors of search queries and instructions, shared by the server's processes and kept across
-- restarts: a query encoded by one process is not encoded again by another. Keyed by a hash of
-- the text (no query text is stored here); the retention job keeps the newest rows.
CREATE TABLE query_vectors (
  text_hash  TEXT NOT NULL,
  model_id   TEXT NOT NULL,
  vector     BLOB NOT NULL,                          -- float32, little-endian
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (text_hash, model_id)
);
CREATE INDEX query_vectors_by_age ON query_vectors (created_at);
