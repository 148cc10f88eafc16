-- Search phrasings written for each article (front matter `questions`), indexed and embedded.
ALTER TABLE articles ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';

-- The keyword index gains a `questions` column; it is rebuilt from the store (npm start / reindex).
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
  title,
  tags,
  questions,
  body,
  slug UNINDEXED,
  audience UNINDEXED,
  locale UNINDEXED,
  category UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
