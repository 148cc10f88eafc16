import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDb } from "~/test/temp-db";
import { parseAnalyticsParams, rangeOf } from "./analytics-params";
import { analyticsReport, searchesCsv, summarise, type SearchOutcome } from "./analytics.server";
import { EventStore } from "./events.server";
import { assignArm, compareArms, experimentFor, ExperimentConflictError, ExperimentStore } from "./experiments.server";
import { SearchLog } from "./search-log.server";

const RANGE = { from: "2026-11-01T00:00:00.000Z", to: "2026-11-04T00:00:00.000Z", surface: "all" as const };

function outcome(overrides: Partial<SearchOutcome> = {}): SearchOutcome {
  return {
    id: randomUUID(),
    createdAt: "2026-11-02T10:00:00.000Z",
    surface: "help",
    sessionKey: "visitor:1",
    query: "where is my package",
    queryKey: "where is my package",
    total: 10,
    rerankerStatus: "ok",
    latencyMs: 20,
    variant: null,
    experimentId: null,
    firstClick: null,
    notFound: false,
    usedInReply: false,
    ...overrides,
  };
}

describe("summarise", () => {
  it("computes the dashboard's figures from settled searches", () => {
    const searches = [
      outcome({ firstClick: 0, latencyMs: 10 }),
      outcome({ firstClick: 1, latencyMs: 20, createdAt: "2026-11-01T09:00:00.000Z" }),
      outcome({ firstClick: null, notFound: true, latencyMs: 30, query: "Where is my package?" }),
      outcome({ total: 0, query: "zxqv", queryKey: "zxqv", rerankerStatus: "fallback", latencyMs: 40 }),
      outcome({ firstClick: null, latencyMs: 50, query: "refund", queryKey: "refund" }),
    ];
    const r = summarise(searches, { yes: 3, no: 1 }, RANGE);
    expect(r.searches).toBe(5);
    expect(r.firstClickCtr).toBe(0.4);
    expect(r.notFoundRate).toBe(0.2);
    expect(r.firstClickMrr).toBe(0.3); // (1 + 1/2) / 5
    expect(r.zeroResultRate).toBe(0.2);
    expect(r.abandonmentRate).toBe(0.2); // "refund": results, no click, no report
    expect(r.notHelpfulRate).toBe(0.25);
    expect(r.rerankerFallbackRate).toBe(0.2);
    expect(r.latencyP50).toBe(30);
    expect(r.latencyP95).toBe(50);
    expect(r.firstClickPositions.slice(0, 2)).toEqual([
      { rank: "1", clicks: 1, share: 0.5 },
      { rank: "2", clicks: 1, share: 0.5 },
    ]);
    expect(r.daily.map((d) => [d.day, d.searches])).toEqual([["2026-11-01", 1], ["2026-11-02", 4], ["2026-11-03", 0]]);
    expect(r.topQueries[0]).toEqual({ query: "where is my package", searches: 3, ctr: 0.6667, zeroResults: 0 });
    expect(r.topZeroResultQueries.map((q) => q.query)).toEqual(["zxqv"]);
    expect(r.topNoClickQueries.map((q) => q.query)).toEqual(["refund", "Where is my package?"]);
  });

  it("an empty range is all zeros, not NaN", () => {
    const r = summarise([], { yes: 0, no: 0 }, RANGE);
    expect(r.firstClickCtr).toBe(0);
    expect(r.notHelpfulRate).toBeNull();
    expect(r.daily).toHaveLength(3);
  });
});

describe("searchesCsv", () => {
  it("quotes commas and quotes, and defuses formulas typed as queries", () => {
    const csv = searchesCsv([outcome({ id: "s1", query: 'a, "b"' }), outcome({ id: "s2", query: "=HYPERLINK(1)", firstClick: 2 })]);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("search_id,created_at,surface,query,results,first_click_rank,not_found,used_in_reply,reranker,latency_ms,variant");
    expect(lines[1]).toContain(`,"a, ""b""",`);
    expect(lines[2]).toContain(`,"'=HYPERLINK(1)",10,3,`);
  });
});

describe("parseAnalyticsParams", () => {
  it("defaults to the last 30 days of both surfaces, and refuses bad ranges with a message", () => {
    const ok = parseAnalyticsParams(new URLSearchParams("to=2026-11-30"));
    expect(ok).toMatchObject({ ok: true, params: { from: "2026-11-01", to: "2026-11-30", surface: "all", sort: "searches" } });
    if (ok.ok) expect(rangeOf(ok.params)).toEqual({ from: "2026-11-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z", surface: "all" });
    expect(parseAnalyticsParams(new URLSearchParams("from=2026-12-05&to=2026-12-01"))).toEqual({ ok: false, message: "from must not be after to" });
    expect(parseAnalyticsParams(new URLSearchParams("from=yesterday"))).toMatchObject({ ok: false, message: expect.stringContaining("from must be a date") });
    expect(parseAnalyticsParams(new URLSearchParams("surface=shop"))).toMatchObject({ ok: false, message: "surface must be all, help or agent" });
    expect(parseAnalyticsParams(new URLSearchParams("from=2020-01-01&to=2026-01-01"))).toMatchObject({ ok: false, message: expect.stringContaining("at most 366 days") });
  });
});

describe("A/B assignment", () => {
  it("keeps a session in one arm and splits sessions by the share asked for", () => {
    const experiment = { id: 3, splitB: 0.3 };
    expect(assignArm(experiment, "visitor:abc")).toBe(assignArm(experiment, "visitor:abc"));
    const arms = Array.from({ length: 4000 }, (_, i) => assignArm(experiment, `visitor:${i}`));
    const onB = arms.filter((a) => a === "B").length / arms.length;
    expect(onB).toBeGreaterThan(0.27);
    expect(onB).toBeLessThan(0.33);
  });
});

describe("compareArms", () => {
  /** Sessions of `searches` each, with a first click on top in `rate` of them (spread evenly). */
  function arm(prefix: string, sessions: number, rate: number, perSession = 3): SearchOutcome[] {
    const out: SearchOutcome[] = [];
    let k = 0;
    for (let s = 0; s < sessions; s++) {
      for (let i = 0; i < perSession; i++, k++) out.push(outcome({ sessionKey: `${prefix}${s}`, firstClick: Math.floor((k + 1) * rate) > Math.floor(k * rate) ? 0 : null }));
    }
    return out;
  }

  it("finds a real difference significant, with the lift", () => {
    const r = compareArms(arm("a", 300, 0.3), arm("b", 300, 0.45), 1000, 1);
    expect(r.a.ctr.value).toBeCloseTo(0.3, 1);
    expect(r.b.ctr.value).toBeCloseTo(0.45, 1);
    expect(r.ctrDifference.significant).toBe(true);
    expect(r.ctrDifference.low).toBeGreaterThan(0);
    expect(r.ctrDifference.lift).toBeCloseTo(0.5, 1);
    expect(r.a.ctr.low).toBeLessThan(r.a.ctr.value);
    expect(r.a.ctr.high).toBeGreaterThan(r.a.ctr.value);
  });

  it("calls equal arms not significant", () => {
    const r = compareArms(arm("a", 200, 0.3), arm("b", 200, 0.3), 1000, 2);
    expect(r.ctrDifference.significant).toBe(false);
    expect(r.ctrDifference.low).toBeLessThan(0);
    expect(r.ctrDifference.high).toBeGreaterThan(0);
  });

  it("resamples sessions, not searches: a few heavy sessions give wide intervals", () => {
    // The same 600 searches, once from 200 sessions and once from 6 sessions of 100 each, where
    // each session either always clicks or never does.
    const spread = compareArms(arm("a", 200, 0.5), arm("b", 200, 0.5), 1000, 3);
    const lumpy = (prefix: string) =>
      Array.from({ length: 6 }, (_, s) => Array.from({ length: 100 }, () => outcome({ sessionKey: `${prefix}${s}`, firstClick: s % 2 ? 0 : null }))).flat();
    const heavy = compareArms(lumpy("a"), lumpy("b"), 1000, 3);
    const width = (i: { low: number; high: number }) => i.high - i.low;
    expect(width(heavy.a.ctr)).toBeGreaterThan(3 * width(spread.a.ctr));
  });
});

describe("experiments and the dashboard on a real database", () => {
  let temp: ReturnType<typeof createTempDb>;
  beforeEach(() => (temp = createTempDb()));
  afterEach(() => temp.cleanup());

  it("one running experiment per surface; an explicit preset wins over the arm", () => {
    const store = new ExperimentStore(temp.db);
    const e = store.create({ name: "shipping first", surface: "help", presetA: "help-default", presetB: "shipping-status-first", splitB: 0.5 });
    expect(() => store.create({ name: "again", surface: "help", presetA: "a", presetB: "b", splitB: 0.5 })).toThrow(ExperimentConflictError);
    const ask = (preset?: string, surface: "help" | "agent" = "help") => ({ q: "x", surface, preset });
    const arm = experimentFor(store, ask(), "visitor:42");
    expect(arm.experimentId).toBe(e.id);
    expect(arm.request.preset).toBe(arm.variant === "A" ? "help-default" : "shipping-status-first");
    expect(experimentFor(store, ask("billing-and-refunds"), "visitor:42")).toMatchObject({ experimentId: null, variant: null });
    expect(experimentFor(store, ask(undefined, "agent"), "visitor:42").experimentId).toBeNull();
    expect(store.stop(e.id)).toBe(true);
    expect(experimentFor(store, ask(), "visitor:42").experimentId).toBeNull();
  });

  it("reads settled searches and their events back as the report", async () => {
    const log = new SearchLog(temp.db);
    const events = new EventStore(temp.db, log);
    const shown = { surface: "help" as const, sessionKey: "visitor:1", query: "refund", preset: null, rerankerStatus: "ok", total: 2, latencyMs: 5, results: [{ slug: "a", score: 1 }, { slug: "b", score: 0.5 }] };
    const clicked = await log.record({ ...shown, settled: true });
    await log.record({ ...shown, settled: true });
    await log.record({ ...shown, settled: false }); // a typing prefix: not counted
    events.recordBatch([{ id: randomUUID(), kind: "click", search_id: clicked, surface: "help", slug: "b", position: 1 }], { sessionKey: "visitor:1" });
    events.record({ id: randomUUID(), kind: "helpful", surface: "help", slug: "a", value: "no" });
    const today = new Date().toISOString().slice(0, 10);
    const range = rangeOf({ from: today, to: today, surface: "all", sort: "searches", dir: "desc" });
    const r = analyticsReport(temp.db, range);
    expect(r.searches).toBe(2);
    expect(r.firstClickCtr).toBe(0.5);
    expect(r.firstClickMrr).toBe(0.25);
    expect(r.notHelpfulRate).toBe(1);
    expect(analyticsReport(temp.db, { ...range, surface: "agent" }).searches).toBe(0);
  });
});
