-- The system of record: articles as imported, with rendered HTML and plain text.
CREATE TABLE articles (
  id            INTEGER PRIMARY KEY,
  slug          TEXT NOT NULL UNIQUE,
  title         TEXT NOT NULL,
  category      TEXT NOT NULL,
  tags          TEXT NOT NULL DEFAULT '[]',          -- JSON array of strings
  audience      TEXT NOT NULL CHECK (audience IN ('public', 'internal')),
  locale        TEXT NOT NULL CHECK (locale IN ('en', 'zh')),
  updated       TEXT NOT NULL,                       -- ISO date from front matter
  body_markdown TEXT NOT NULL,
  body_html     TEXT NOT NULL,                       -- rendered and sanitised
  body_text     TEXT NOT NULL,                       -- plain text for indexing
  source_path   TEXT NOT NULL,                       -- relative to the import root
  content_hash  TEXT NOT NULL,                       -- sha256 of the source file
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX articles_audience_locale ON articles (audience, locale);
CREATE INDEX articles_category ON articles (category);

-- Articles split by heading into bounded passages, for reranking long articles.
CREATE TABLE passages (
  id           INTEGER PRIMARY KEY,
  article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  heading      TEXT NOT NULL,
  text         TEXT NOT NULL,
  content_hash TEXT NOT NULL,                        -- sha256 of heading + text
  UNIQUE (article_id, position)
);
