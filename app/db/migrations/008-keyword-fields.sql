-- One FTS5 table per searchable field, so BM25 normalises each field by its own length (a title
-- match is not diluted by a long body; docs/decisions/001). articles_fts stays the table that is
-- matched, filtered, highlighted and snippeted; these four only score.
CREATE VIRTUAL TABLE articles_fts_title USING fts5 (text, slug UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE articles_fts_tags USING fts5 (text, slug UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE articles_fts_questions USING fts5 (text, slug UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE articles_fts_body USING fts5 (text, slug UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2');
INSERT INTO articles_fts_title (text, slug) SELECT title, slug FROM articles_fts;
INSERT INTO articles_fts_tags (text, slug) SELECT tags, slug FROM articles_fts;
INSERT INTO articles_fts_questions (text, slug) SELECT questions, slug FROM articles_fts;
INSERT INTO articles_fts_body (text, slug) SELECT body, slug FROM articles_fts;
