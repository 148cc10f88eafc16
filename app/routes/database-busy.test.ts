import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededApp } from "~/test/seeded-app";

// Writes wait at most 200 ms for another connection's lock.
const app = seededApp("busy", { DATABASE_BUSY_TIMEOUT_MS: "200" });

const { outcome, BASE, ctx } = await import("~/test/route-client");
const apiSearch = await import("./api.search");
const apiEvents = await import("./api.events");
const helpHome = await import("./help._index");

beforeAll(() => app.setUp());
afterAll(() => app.tearDown());

/** Another connection (a long import, a backup) holding the write lock until `release`. */
function holdWriteLock(): { release: () => void } {
  const other = new Database(process.env.DATABASE_PATH!);
  other.pragma("busy_timeout = 2000");
  other.exec("BEGIN IMMEDIATE");
  return {
    release: () => {
      other.exec("COMMIT");
      other.close();
    },
  };
}

const search = (cookie?: string) =>
  outcome(() => apiSearch.loader({ request: new Request(`${BASE}/api/search?q=refund`, { headers: cookie ? { Cookie: cookie } : {} }), params: {}, context: ctx("10.9.9.9") }));

describe("a database held busy by another connection", () => {
  it("searches wait within the bound, then answer 503 with Retry-After in the API's shape; afterwards they work", async () => {
    const lock = holdWriteLock();
    try {
      const started = performance.now();
      const response = await search();
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(response.status).toBe(503);
      expect(response.headers.get("Retry-After")).toBe("1");
      expect(await response.json()).toEqual({ error: { code: "database_busy", message: expect.stringMatching(/try again/) } });

      const page = await outcome(() => helpHome.loader({ request: new Request(`${BASE}/help?q=refund`), params: {}, context: ctx("10.9.9.9") }));
      expect(page.status).toBe(503);
      expect(await page.text()).toMatch(/Search is unavailable for a moment/);
    } finally {
      lock.release();
    }
    expect((await search()).status).toBe(200);
  });

  it("a search waiting for the lock holds up no other work of its process (SQLite's own wait would sleep on the event loop)", async () => {
    const lock = holdWriteLock();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    try {
      const started = performance.now();
      const response = await search();
      const waited = performance.now() - started;
      expect(response.status).toBe(503);
      expect(waited).toBeGreaterThanOrEqual(200);
      // A timer every 10 ms kept firing through the 200 ms wait.
      expect(ticks).toBeGreaterThanOrEqual(10);
    } finally {
      clearInterval(ticker);
      lock.release();
    }
  });

  it("an event batch is refused whole with 503 while busy, and the retry stores every event once: nothing is lost", async () => {
    const first = await search();
    const cookie = first.headers.get("Set-Cookie")!.split(";")[0]!;
    const body = (await first.json()) as { search_id: string; results: { slug: string }[] };
    const events = body.results.slice(0, 3).map((r, position) => ({ id: randomUUID(), kind: "click", search_id: body.search_id, surface: "help", slug: r.slug, position }));
    const post = () =>
      outcome(() =>
        apiEvents.action({
          request: new Request(`${BASE}/api/events`, { method: "POST", headers: { "Content-Type": "application/json", Cookie: cookie }, body: JSON.stringify({ events }) }),
          params: {},
          context: ctx("10.9.9.8"),
        }),
      );
    const lock = holdWriteLock();
    try {
      expect((await post()).status).toBe(503);
    } finally {
      lock.release();
    }
    const retry = await post();
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ stored: 3, duplicates: 0, failed: [] });
    expect(await (await post()).json()).toEqual({ stored: 0, duplicates: 3, failed: [] });
  });
});
