import type { Env } from "~/config/env.server";
import type { Db } from "~/db/db.server";
import { EngineUnavailableError, type SearchEngine } from "./engine";
import { MeilisearchEngine } from "./meilisearch.server";
import { SqliteEngine } from "./sqlite.server";

/**
 * The keyword engine chosen by ENGINE, initialised. An unreachable Meilisearch stops the CLIs
 * with one line naming MEILI_URL; the server (`whenDown: "serve"`) starts anyway, says so in one
 * line, answers searches 503 and sets the engine up when it answers (docs/decisions/010).
 */
export async function createEngine(env: Env, db: Db, options: { whenDown?: "fail" | "serve" } = {}): Promise<SearchEngine> {
  const engine: SearchEngine =
    env.ENGINE === "meilisearch"
      ? new MeilisearchEngine({
          url: env.MEILI_URL ?? "",
          indexUid: env.MEILI_INDEX,
          adminKey: env.MEILI_ADMIN_KEY ?? env.MEILI_MASTER_KEY,
          searchKey: env.MEILI_SEARCH_KEY,
        })
      : new SqliteEngine(db);
  try {
    await engine.init();
  } catch (error) {
    // One line that names the setting to check (start-up, the import and reindex CLIs print it).
    if (error instanceof EngineUnavailableError && env.ENGINE === "meilisearch") {
      if (options.whenDown === "serve") {
        console.error(`meilisearch: not reachable at MEILI_URL=${env.MEILI_URL} (${oneLine(error)}): serving, searches answer 503 until it is`);
        return engine;
      }
      throw new EngineUnavailableError("meilisearch", `not usable at MEILI_URL=${env.MEILI_URL} (ENGINE=meilisearch): ${oneLine(error)}; start Meilisearch there or fix MEILI_URL`, { cause: error });
    }
    throw error;
  }
  return engine;
}

/** The error's own message without the engine prefix, with its innermost cause (e.g. connect ECONNREFUSED 127.0.0.1:7700). */
function oneLine(error: EngineUnavailableError): string {
  let root: unknown = error;
  while (root instanceof Error && root.cause instanceof Error) root = root.cause;
  const own = error.message.replace(/^meilisearch: /, "");
  const cause = root instanceof Error && root !== error ? root.message : "";
  return (cause && !own.includes(cause) ? `${own} (${cause})` : own).replace(/\s*\n\s*/g, " ");
}
