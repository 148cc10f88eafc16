import { reindexAll } from "~/articles/import.server";
import type { ArticleStore } from "~/articles/store.server";
import { EngineUnavailableError, type SearchEngine } from "./engine";

/** How often the server checks that a remote keyword engine holds what the store holds. */
export const KEYWORD_SYNC_INTERVAL_MS = 10_000;

interface KeywordIndexParts {
  store: ArticleStore;
  engine: SearchEngine;
}

/**
 * Reindexes the keyword engine from the store (the system of record) when its count differs: a
 * Meilisearch that lost its data, or was down while articles were imported. True when it did;
 * throws EngineUnavailableError while the engine is down.
 */
export async function syncKeywordIndex({ store, engine }: KeywordIndexParts, log: (line: string) => void = () => {}): Promise<boolean> {
  if ((await engine.count()) === store.count()) return false;
  log(`The ${engine.name} index is out of step with the store: reindexing …`);
  log(`Reindexed ${await reindexAll(store, engine)} articles.`);
  return true;
}

/**
 * For a remote engine (Meilisearch), checks every KEYWORD_SYNC_INTERVAL_MS and catches its index
 * up with the store, so an engine that was down at start-up or came back empty serves the articles
 * without a restart. Logs when the engine goes away and when it is back, not every check. SQLite
 * shares the store's file and transactions: nothing to do.
 */
export function scheduleKeywordIndexSync(parts: KeywordIndexParts, log: (line: string) => void = console.log): NodeJS.Timeout | undefined {
  if (parts.engine.name === "sqlite") return undefined;
  let down = false;
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      await syncKeywordIndex(parts, log);
      if (down) log(`${parts.engine.name} answers again; its index holds the store's ${parts.store.count()} articles.`);
      down = false;
    } catch (error) {
      if (!(error instanceof EngineUnavailableError)) console.error("Keyword index sync failed:", error);
      else if (!down) console.error(`${parts.engine.name} is unreachable: ${error.message.split("\n")[0]} (searches answer 503 until it is back)`);
      down = error instanceof EngineUnavailableError;
    } finally {
      running = false;
    }
  };
  return setInterval(() => void check(), KEYWORD_SYNC_INTERVAL_MS).unref();
}
