-- Sentence vectors of article texts (passages, title + tags, questions), keyed by the text's hash
-- and the model that made them: an unchanged text is never embedded twice.
CREATE TABLE text_vectors (
  text_hash  TEXT NOT NULL,
  model_id   TEXT NOT NULL,
  dims       INTEGER NOT NULL,
  vector     BLOB NOT NULL,                          -- float32, little-endian
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (text_hash, model_id)
) WITHOUT ROWID;
