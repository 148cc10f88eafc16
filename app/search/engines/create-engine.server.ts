import type { Env } from "~/config/env.server";
import type { Db } from "~/db/db.server";
import type { SearchEngine } from "./engine";
import { MeilisearchEngine } from "./meilisearch.server";
import { SqliteEngine } from "./sqlite.server";

/** The keyword engine chosen by ENGINE, initialised and ready to use. */
export async function createEngine(env: Env, db: Db): Promise<SearchEngine> {
  const engine: SearchEngine =
    env.ENGINE === "meilisearch"
      ? new MeilisearchEngine({
          url: env.MEILI_URL ?? "",
          indexUid: env.MEILI_INDEX,
          adminKey: env.MEILI_ADMIN_KEY ?? env.MEILI_MASTER_KEY,
          searchKey: env.MEILI_SEARCH_KEY,
        })
      : new SqliteEngine(db);
  await engine.init();
  return engine;
}
