import { nonBlockingWrites, type Db } from "~/db/db.server";

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
  private readonly write: <T>(work: () => T) => Promise<T>;

  constructor(private readonly db: Db) {
    this.write = nonBlockingWrites(db);
  }

  /** How many hits the bucket has in its current window, without counting one. */
  peek(bucket: string, windowMs: number, at = Date.now()): number {
    const windowStart = Math.floor(at / windowMs) * windowMs;
    return (this.db.prepare("SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?").pluck().get(bucket, windowStart) as number | undefined) ?? 0;
  }

  /** Counts a hit; a wait for another process's lock holds up no other request. */
  async hit(bucket: string, limit: number, windowMs: number, at = Date.now()): Promise<RateLimitResult> {
    const windowStart = Math.floor(at / windowMs) * windowMs;
    const hits = await this.write(
      () =>
        this.db
          .prepare(
            `INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
             RETURNING hits`,
          )
          .pluck()
          .get(bucket, windowStart) as number,
    );
    if (++this.hitsSinceSweep >= 500) {
      this.hitsSinceSweep = 0;
      this.db.prepare("DELETE FROM rate_limits WHERE window_start < ?").run(at - 24 * 3_600_000);
    }
    return { allowed: hits <= limit, hits, retryAfterS: Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000)) };
  }

  reset(bucket: string): void {
    this.db.prepare("DELETE FROM rate_limits WHERE bucket = ?").run(bucket);
  }
}
