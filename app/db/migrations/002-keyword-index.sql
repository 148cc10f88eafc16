-- Keyword index of the embedded engine (SQLite FTS5). Text columns hold the searchable form:
-- Chinese is pre-segmented into words separated by U+200B, which unicode61 treats as a separator.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
  title,
  tags,
  body,
  slug UNINDEXED,
  audience UNINDEXED,
  locale UNINDEXED,
  category UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
