-- A counter bumped by every change to an article, so a server process can tell with one row
-- whether another process (the import CLI) changed the articles, instead of comparing every
-- article's content hash whenever any write (a search log, an event) changed the file.
CREATE TABLE articles_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO articles_version (id, version) VALUES (1, 0);
CREATE TRIGGER articles_version_insert AFTER INSERT ON articles
BEGIN
  UPDATE articles_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER articles_version_update AFTER UPDATE ON articles
WHEN OLD.content_hash IS NOT NEW.content_hash OR OLD.slug IS NOT NEW.slug
BEGIN
  UPDATE articles_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER articles_version_delete AFTER DELETE ON articles
BEGIN
  UPDATE articles_version SET version = version + 1 WHERE id = 1;
END;
