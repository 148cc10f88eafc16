import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { ConfigError } from "~/config/env.server";

export type Db = Database.Database;

/**
 * Compiles each SQL text once and hands back the same statement after that, for code on every
 * request's path. Only for statements run with get/all/run: pluck() or raw() would change the
 * statement for every later caller.
 */
export function statementCache(db: Db): (sql: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
}

/** Numbered SQL files, applied in order at start-up. npm scripts run from the project root. */
export const MIGRATIONS_DIR = path.resolve(process.cwd(), "app/db/migrations");

/** DATABASE_PATH cannot be used: one line naming the setting, the path and the reason. */
export class DatabaseFileError extends ConfigError {
  override name = "DatabaseFileError";
  constructor(file: string, reason: string) {
    super(`DATABASE_PATH ${file}: ${reason}`);
  }
}

/** SQLite said another connection holds the write lock past our busy timeout. */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_") || code === "SQLITE_LOCKED");
}

/**
 * An IMMEDIATE transaction for a write on a request's path that must not hold up the event loop.
 * While another connection (the other server process) holds the write lock, SQLite's own busy
 * wait sleeps 1, 2, 5 … ms on the calling thread, and every request of the process waits with
 * it. Here the lock is tried without waiting; when it is held, the loop goes on with other
 * requests and the write is tried again, until the connection's busy timeout has passed: then
 * SQLite's SQLITE_BUSY error is thrown, as a blocking write would.
 */
export function nonBlockingWrites(db: Db): <T>(work: () => T) => Promise<T> {
  const timeoutMs = db.pragma("busy_timeout", { simple: true }) as number;
  // SQLite applies this pragma when it is compiled, not when it runs: it cannot be a prepared statement.
  const attempt = <T>(work: () => T): T => {
    db.pragma("busy_timeout = 0");
    try {
      return db.transaction(work).immediate();
    } finally {
      db.pragma(`busy_timeout = ${timeoutMs}`);
    }
  };
  return async (work) => {
    const deadline = performance.now() + timeoutMs;
    for (let tries = 0; ; tries++) {
      try {
        return attempt(work);
      } catch (error) {
        if (!isDatabaseBusy(error) || performance.now() >= deadline) throw error;
      }
      // The other process's write takes a fraction of a millisecond: first a turn of the loop, then backing off.
      if (tries < 8) await nextTurn();
      else await sleep(Math.min(2 ** (tries - 8), 50));
    }
  };
}

/** How long a write waits for another connection's lock before it fails (DATABASE_BUSY_TIMEOUT_MS). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** How much of the database file is read through a memory map (DATABASE_MMAP_MB). */
export const DEFAULT_MMAP_MB = 256;

export function openDatabase(file: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS, mmapMb = DEFAULT_MMAP_MB): Db {
  let db: Db | undefined;
  try {
    if (file !== ":memory:") {
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new DatabaseFileError(file, "is a directory, not a database file");
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    }
    db = new Database(file);
    // First, so that even switching a new file to WAL waits for another process opening it.
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    // Pages read through a memory map: when another connection (another server process, an
    // import) has committed, SQLite empties this connection's page cache before its next read,
    // and refilling it is then a pointer into the map instead of a read and a copy per page.
    db.pragma(`mmap_size = ${Math.max(0, Math.round(mmapMb)) * 2 ** 20}`);
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof DatabaseFileError) throw error;
    throw new DatabaseFileError(file, databaseFileProblem(error));
  }
}

function databaseFileProblem(error: unknown): string {
  const code = (error as { code?: string }).code ?? "";
  const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
  if (code === "SQLITE_NOTADB" || /not a database/i.test(message)) return "is not a SQLite database (another file is at that path)";
  if (code === "SQLITE_READONLY" || /readonly/i.test(message)) return "is read-only: the app must be able to write it";
  if (code === "EACCES" || code === "EPERM") return "permission denied: the app cannot create or write it there";
  if (code === "ENOTDIR" || code === "EEXIST") return "a part of the path is a file, not a folder";
  if (code === "SQLITE_CANTOPEN" || /unable to open/i.test(message)) return "cannot be opened (is its folder writable?)";
  return message;
}

export function migrate(db: Db, dir = MIGRATIONS_DIR): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const applied = new Set(
    db.prepare("SELECT version FROM schema_migrations").pluck().all() as number[],
  );
  const files = fs
    .readdirSync(dir)
    .filter((name) => /^\d{3}-[a-z0-9-]+\.sql$/.test(name))
    .sort();
  const ran: string[] = [];
  const isApplied = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?").pluck();
  for (const file of files) {
    const version = Number(file.slice(0, 3));
    if (applied.has(version)) continue;
    const sql = fs.readFileSync(path.join(dir, file), "utf8");
    // IMMEDIATE takes the write lock first, and the check inside sees what a process that
    // migrated the same file meanwhile committed: several processes may open one file at once.
    const didRun = db.transaction(() => {
      if (isApplied.get(version)) return false;
      db.exec(sql);
      db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)").run(
        version,
        file.slice(4, -4),
      );
      return true;
    }).immediate();
    if (didRun) ran.push(file);
  }
  return ran;
}
