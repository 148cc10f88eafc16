-- Links between articles, from front matter: `related` (a JSON list of slugs, in the writer's
-- order) and `translation` (the slug of the same article in the other language).
ALTER TABLE articles ADD COLUMN related TEXT NOT NULL DEFAULT '[]';
ALTER TABLE articles ADD COLUMN translation TEXT;
