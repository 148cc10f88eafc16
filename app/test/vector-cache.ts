import path from "node:path";

/**
 * Sentence vectors shared by the test files and the e2e server (VECTOR_CACHE_PATH), so a run
 * embeds the seed corpus once and not once per test file. Vectors are keyed by text hash and model
 * id, as in the app's own database, so the cache is as safe to keep between runs as that database
 * is: a model whose weights change gets a new id.
 */
export const TEST_VECTOR_CACHE = path.resolve("node_modules/.cache/helprank/test-vectors.db");
