import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDb } from "~/test/temp-db";
import { clientEventSchema, type ClientEvent } from "./event-schema";
import { EventStore } from "./events.server";
import { exportJudgments } from "./judgments.server";
import { queryKey, SearchLog, type SearchShown } from "./search-log.server";

let temp: ReturnType<typeof createTempDb>;
let log: SearchLog;
let events: EventStore;
beforeEach(() => {
  temp = createTempDb();
  log = new SearchLog(temp.db);
  events = new EventStore(temp.db, log);
});
afterEach(() => temp.cleanup());

const ME = { sessionKey: "visitor:me", userId: null };

function shown(overrides: Partial<SearchShown> = {}): SearchShown {
  return {
    surface: "help",
    sessionKey: ME.sessionKey,
    query: "where is my package",
    preset: "help-default",
    rerankerStatus: "ok",
    total: 3,
    latencyMs: 12.345,
    results: [
      { slug: "track-your-order", score: 0.9 },
      { slug: "tracking-not-updating", score: 0.8 },
      { slug: "refund-policy", score: 0.2 },
    ],
    settled: true,
    ...overrides,
  };
}

const click = (searchId: string, position: number, slug: string, extra: Partial<ClientEvent> = {}): ClientEvent => ({
  id: randomUUID(),
  kind: "click",
  search_id: searchId,
  surface: "help",
  slug,
  position,
  ...extra,
});

const count = (sql: string, ...params: unknown[]) => temp.db.prepare(sql).pluck().get(...params) as number;

describe("SearchLog", () => {
  it("stores the search with its results in order, personal data masked", async () => {
    const id = await log.record(shown({ query: "order A12345678 for jane@example.com not arrived" }));
    const row = temp.db.prepare("SELECT * FROM searches WHERE id = ?").get(id) as Record<string, unknown>;
    expect(row.query).toBe("order [order] for [email] not arrived");
    expect(row.query_key).toBe("order order for email not arrived");
    expect(row.latency_ms).toBe(12.35);
    expect(row.settled_at).not.toBeNull();
    expect(log.get(id)!.results).toEqual([
      { slug: "track-your-order", position: 0 },
      { slug: "tracking-not-updating", position: 1 },
      { slug: "refund-policy", position: 2 },
    ]);
  });

  it("logs absolute positions for a later page", async () => {
    const id = await log.record(shown({ offset: 10 }));
    expect(log.get(id)!.results.map((r) => r.position)).toEqual([10, 11, 12]);
  });

  it("keys the click prior on the masked, normalised query", () => {
    expect(queryKey("  Where's my PARCEL?! ")).toBe("where s my parcel");
    expect(queryKey("call me on +44 7700 900123")).toBe(queryKey("call me on +1 202 555 0147"));
    expect(queryKey("物流没更新")).toBe("物流没更新");
  });

  it("a prefix counts as an impression only once it settles, and only once", async () => {
    const id = await log.record(shown({ settled: false }));
    expect(count("SELECT count(*) FROM click_stats")).toBe(0);
    expect(log.settle(id)).toBe(true);
    expect(log.settle(id)).toBe(false);
    expect(count("SELECT impressions FROM click_stats WHERE slug = 'track-your-order'")).toBe(1);
    expect(count("SELECT sum(impressions) FROM click_position_stats")).toBe(3);
  });

  it("retention deletes old searches with their results, and prefixes that never settled after a day", async () => {
    const old = await log.record(shown());
    const fresh = await log.record(shown());
    const prefix = await log.record(shown({ settled: false }));
    const unsettledToday = await log.record(shown({ settled: false }));
    temp.db.prepare("UPDATE searches SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = ?").run(old);
    temp.db.prepare("UPDATE searches SET created_at = ? WHERE id = ?").run(new Date(Date.now() - 2 * 86_400_000).toISOString(), prefix);
    expect(log.deleteOlderThan(90)).toEqual({ searches: 2 });
    expect(log.get(old)).toBeUndefined();
    expect(log.get(prefix)).toBeUndefined();
    expect(log.get(fresh)).toBeDefined();
    expect(log.get(unsettledToday)).toBeDefined();
    expect(count("SELECT count(*) FROM search_results WHERE search_id = ?", old)).toBe(0);
  });
});

describe("EventStore.recordBatch", () => {
  it("stores valid events once, even when sent again", async () => {
    const id = await log.record(shown());
    const batch = [click(id, 0, "track-your-order"), { id: randomUUID(), kind: "not_found" as const, search_id: id, surface: "help" as const }];
    expect(events.recordBatch(batch, ME)).toEqual({ stored: 2, duplicates: 0, failed: [] });
    expect(events.recordBatch(batch, ME)).toEqual({ stored: 0, duplicates: 2, failed: [] });
    expect(count("SELECT count(*) FROM events")).toBe(2);
  });

  it("refuses events about unknown searches, other sessions, another surface or a result that was not shown there", async () => {
    const id = await log.record(shown());
    const mine = click(id, 1, "tracking-not-updating");
    const outcome = events.recordBatch(
      [
        click(randomUUID(), 0, "track-your-order"),
        mine,
        click(id, 0, "refund-policy"),
        click(id, 7, "track-your-order"),
        click(id, 0, "track-your-order", { surface: "agent" }),
        { index: 5, message: "id must be a UUID" },
      ],
      ME,
    );
    expect(outcome.stored).toBe(1);
    expect(outcome.failed.map((f) => [f.index, f.message])).toEqual([
      [0, "search_id is not a known search"],
      [2, "slug was not shown at that position in that search"],
      [3, "slug was not shown at that position in that search"],
      [4, "surface must be help, the surface of that search"],
      [5, "id must be a UUID"],
    ]);
    expect(events.recordBatch([click(id, 0, "track-your-order")], { sessionKey: "visitor:someone-else" }).failed[0]!.message).toBe(
      "search_id is a search of another session",
    );
    expect(count("SELECT count(*) FROM events")).toBe(1);
  });

  it("a click settles a prefix, and feeds the click prior once per article and search", async () => {
    const id = await log.record(shown({ settled: false }));
    events.recordBatch([click(id, 1, "tracking-not-updating"), click(id, 1, "tracking-not-updating")], ME);
    expect(log.get(id)!.settled).toBe(true);
    expect(count("SELECT clicks FROM click_stats WHERE slug = 'tracking-not-updating'")).toBe(1);
    expect(count("SELECT clicks FROM click_position_stats WHERE position = 1")).toBe(1);
    expect(count("SELECT count(*) FROM events WHERE kind = 'click'")).toBe(2);
  });

  it("a settle event makes a typed prefix an impression", async () => {
    const id = await log.record(shown({ settled: false, surface: "agent", sessionKey: "user:7" }));
    const outcome = events.recordBatch([{ id: randomUUID(), kind: "settle", search_id: id, surface: "agent" }], { sessionKey: "user:7", userId: 7 });
    expect(outcome.stored).toBe(1);
    expect(log.get(id)!.settled).toBe(true);
  });
});

describe("clientEventSchema", () => {
  it.each([
    [{ kind: "click" }, "id is required"],
    [{ id: "nope", kind: "click", search_id: randomUUID(), surface: "help", slug: "a", position: 0 }, "id must be a UUID"],
    [{ id: randomUUID(), kind: "purchase", search_id: randomUUID(), surface: "help" }, "kind must be one of"],
    [{ id: randomUUID(), kind: "click", search_id: randomUUID(), surface: "help" }, "a click event needs slug and position"],
    [{ id: randomUUID(), kind: "click", search_id: randomUUID(), surface: "help", slug: "Bad Slug!", position: 0 }, "slug must be lowercase"],
    [{ id: randomUUID(), kind: "click", search_id: randomUUID(), surface: "help", slug: "a", position: -1 }, "position must be 0 or more"],
    [{ id: randomUUID(), kind: "click", search_id: randomUUID(), surface: "help", slug: "a", position: "1" }, "position must be a number"],
    [{ id: randomUUID(), kind: "settle", search_id: randomUUID(), surface: "shop" }, "surface must be help or agent"],
    [{ id: randomUUID(), kind: "settle", search_id: randomUUID(), surface: "help", extra: 1 }, "Unrecognized key"],
    [{ id: randomUUID(), kind: "helpful", search_id: randomUUID(), surface: "help" }, "article page's form"],
  ])("%j is refused: %s", (raw, message) => {
    const parsed = clientEventSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message).join("; ")).toContain(message);
  });
});

describe("exportJudgments", () => {
  it("grades (query, article) pairs by clicks against what their positions get, since a date", async () => {
    // 10 searches of one query (two spellings); the third result is chosen far more than third results are.
    for (let i = 0; i < 10; i++) {
      const id = await log.record(shown({ query: i % 3 ? "Where is my package?" : "where is my package" }));
      const position = i < 8 ? 2 : 0;
      const slug = ["track-your-order", "tracking-not-updating", "refund-policy"][position]!;
      events.recordBatch([click(id, position, slug)], ME);
    }
    // Other traffic sets the position curve: first results are clicked often, third ones rarely.
    for (let i = 0; i < 30; i++) {
      const id = await log.record(shown({ query: "refund" }));
      if (i < 12) events.recordBatch([click(id, 0, "track-your-order")], ME);
      else if (i === 12) events.recordBatch([click(id, 2, "refund-policy")], ME);
    }
    const old = await log.record(shown({ query: "old query" }));
    temp.db.prepare("UPDATE searches SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = ?").run(old);

    const rows = exportJudgments(temp.db, { since: "2021-01-01", minImpressions: 5 });
    expect(new Set(rows.map((r) => r.query))).toEqual(new Set(["Where is my package?", "refund"]));
    const bySlug = new Map(rows.filter((r) => r.query === "Where is my package?").map((r) => [r.slug, r]));
    expect(bySlug.get("refund-policy")).toMatchObject({ impressions: 10, clicks: 8, grade: 2, ctr: 0.8 });
    expect(bySlug.get("track-your-order")).toMatchObject({ impressions: 10, clicks: 2, grade: 1 });
    expect(bySlug.get("tracking-not-updating")).toMatchObject({ clicks: 0, grade: 0 });
    // Third results get 9 of 40 clicks overall: 2.25 expected in 10 views.
    expect(bySlug.get("refund-policy")!.expected_clicks).toBe(2.25);
    expect(bySlug.get("track-your-order")!.click_prior).toBeLessThan(0);
    expect(exportJudgments(temp.db, { minImpressions: 31 })).toEqual([]);
  });
});
