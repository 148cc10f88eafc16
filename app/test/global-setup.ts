import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { importArticles } from "~/articles/import.server";
import { parseEnv } from "~/config/env.server";
import { createServices } from "~/services.server";
import { TEST_VECTOR_CACHE } from "./vector-cache";

/**
 * Fills the vector cache with the seed corpus before any test file starts (a no-op when it is
 * already there), so test files running side by side do not each embed it.
 */
export default async function setup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-vector-cache-"));
  const services = await createServices(parseEnv({ DATABASE_PATH: path.join(dir, "seed.db"), VECTOR_CACHE_PATH: TEST_VECTOR_CACHE }));
  try {
    await importArticles({ dir: "seed/articles", store: services.store, engine: services.engine });
    await services.refreshIndexes();
  } finally {
    await services.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
