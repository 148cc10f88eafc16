import Database from "better-sqlite3";

/** The e2e server's database (playwright.config.ts), opened read-only to count what it stored. */
export function serverDb(): Database.Database {
  const file = process.env.HELPRANK_E2E_DATABASE;
  if (!file) throw new Error("HELPRANK_E2E_DATABASE is not set: run the journeys with `npm run test:e2e`");
  return new Database(file, { readonly: true, fileMustExist: true });
}

export function count(sql: string, ...params: unknown[]): number {
  const db = serverDb();
  try {
    return db.prepare(sql).pluck().get(...params) as number;
  } finally {
    db.close();
  }
}

export function rows<T>(sql: string, ...params: unknown[]): T[] {
  const db = serverDb();
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
