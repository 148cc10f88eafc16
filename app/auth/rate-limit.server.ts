import type { Statement } from "better-sqlite3";
import { nonBlockingWrites, statementCache, type Db } from "~/db/db.server";

export interface RateLimitResult {
  allowed: boolean;
  /** Hits counted in the current window, this one included. */
  hits: number;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterS: number;
}

/**
 * Fixed-window counters in the database, so every app process on the same database shares them
 * (several server processes, issue 12). One UPSERT per hit; old windows are swept now and then.
 */
export class RateLimiter {
  private hitsSinceSweep = 0;
  /** On every search's path: its statements are compiled once. */
  private readonly statement: (sql: string) => Statement;
  private readonly write: <T>(work: () => T) => Promise<T>;

  constructor(db: Db) {
    this.statement = statementCache(db);
    this.write = nonBlockingWrites(db);
  }

  /** How many hits the bucket has in its current window, without counting one. */
  peek(bucket: string, windowMs: number, at = Date.now()): number {
    const windowStart = Math.floor(at / windowMs) * windowMs;
    const row = this.statement("SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?").get(bucket, windowStart) as { hits: number } | undefined;
    return row?.hits ?? 0;
  }

  /** Counts a hit; a wait for another process's lock holds up no other request. */
  async hit(bucket: string, limit: number, windowMs: number, at = Date.now()): Promise<RateLimitResult> {
    const windowStart = Math.floor(at / windowMs) * windowMs;
    const sweep = ++this.hitsSinceSweep >= 500;
    if (sweep) this.hitsSinceSweep = 0;
    const { hits } = await this.write(() => {
      const counted = this.statement(
        `INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
         RETURNING hits`,
      ).get(bucket, windowStart) as { hits: number };
      // Old windows go in the same transaction: no second write, and no blocking wait, on the request's path.
      if (sweep) this.statement("DELETE FROM rate_limits WHERE window_start < ?").run(at - 24 * 3_600_000);
      return counted;
    });
    return { allowed: hits <= limit, hits, retryAfterS: Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000)) };
  }

  reset(bucket: string): void {
    this.statement("DELETE FROM rate_limits WHERE bucket = ?").run(bucket);
  }
}
