import { ArticleStore } from "./articles/store.server";
import { getEnv, type Env } from "./config/env.server";
import { openDatabase, type Db } from "./db/db.server";
import { createEngine } from "./search/engines/create-engine.server";
import type { SearchEngine } from "./search/engines/engine";

/** Long-lived handles, created once per process. */
export interface Services {
  env: Env;
  db: Db;
  store: ArticleStore;
  engine: SearchEngine;
}

export async function createServices(env: Env): Promise<Services> {
  const db = openDatabase(env.DATABASE_PATH);
  const engine = await createEngine(env, db);
  return { env, db, store: new ArticleStore(db), engine };
}

declare global {
  // Survives module reloads in development, so one process keeps one database connection.
  var __helprankServices: Promise<Services> | undefined;
}

export function getServices(): Promise<Services> {
  globalThis.__helprankServices ??= createServices(getEnv()).catch((error: unknown) => {
    globalThis.__helprankServices = undefined;
    throw error;
  });
  return globalThis.__helprankServices;
}
