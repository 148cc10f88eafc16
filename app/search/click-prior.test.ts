import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickPriorValue } from "./fusion";

// A real store and click log of their own, with the click prior at its default weight.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-clicks-"));
process.env.DATABASE_PATH = path.join(dir, "clicks.db");
process.env.ENGINE = "sqlite";
// Read the counts live: the simulation checks what each round taught.
process.env.CLICK_PRIOR_REFRESH_S = "0";

const { getServices } = await import("~/services.server");
const { importArticles } = await import("~/articles/import.server");
const { search } = await import("./pipeline.server");
const { parseSearchRequest } = await import("./search-request");
const { logShownSearch } = await import("./search-page.server");

type Services = Awaited<ReturnType<typeof getServices>>;
let services: Services;

beforeAll(async () => {
  services = await getServices();
  await importArticles({ dir: "seed/articles", store: services.store, engine: services.engine });
  await services.refreshIndexes();
});
afterAll(async () => {
  await services.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ranking = async (q: string, deps = services.searchDeps()) =>
  (await search(deps, parseSearchRequest(new URLSearchParams({ q, limit: "10" })))).results.map((r) => r.slug);
const rankOf = async (q: string, slug: string) => (await ranking(q)).indexOf(slug);

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/**
 * One visitor's search, shown and settled, then at most one click chosen by `choose` from what
 * was shown (position -> probability of clicking it first).
 */
async function visit(q: string, choose: (slugs: string[]) => number | undefined, surface: "help" | "agent" = "help") {
  const session = `visitor:${randomUUID()}`;
  const response = await search(services.searchDeps(), parseSearchRequest(new URLSearchParams({ q, limit: "10", surface })), "full", { internal: surface === "agent" });
  const searchId = await logShownSearch(services, response, { key: session, userId: null }, true);
  const position = choose(response.results.map((r) => r.slug));
  if (position === undefined) return;
  services.events.store(
    { id: randomUUID(), kind: "click", search_id: searchId, surface, slug: response.results[position]!.slug, position },
    { sessionKey: session },
  );
}

describe("clickPriorValue", () => {
  it("is neutral with no evidence or clicks as expected, and moves as evidence accumulates", () => {
    expect(clickPriorValue({ clicks: 0, expected: 0 })).toBe(0);
    expect(clickPriorValue({ clicks: 30, expected: 30 })).toBe(0);
    expect(clickPriorValue({ clicks: 0, expected: 1 })).toBeCloseTo(-0.263, 3);
    expect(clickPriorValue({ clicks: 0, expected: 40 })).toBe(-1);
    expect(clickPriorValue({ clicks: 15, expected: 5 })).toBe(1);
    expect(clickPriorValue({ clicks: 3, expected: 1 })).toBeGreaterThan(clickPriorValue({ clicks: 1, expected: 1 }));
  });
});

describe("click prior (simulated traffic)", () => {
  const TARGET = "track-your-refund";
  const FAMILY = ["how do I get my money back", "How do I get my money back?", "i want a refund"];
  const OTHER_FAMILY = ["return an item"];

  it("lifts the article people keep choosing for a query family, and only for that family", async () => {
    const before = new Map<string, number>();
    for (const q of [...FAMILY, ...OTHER_FAMILY]) before.set(q, await rankOf(q, TARGET));
    // The target is shown but not on top for every query here: otherwise the test proves nothing.
    for (const q of [...FAMILY, ...OTHER_FAMILY]) expect(before.get(q), q).toBeGreaterThan(1);
    const otherRanking = new Map<string, string[]>();
    for (const q of OTHER_FAMILY) otherRanking.set(q, await ranking(q));

    const roll = random(7);
    for (let i = 0; i < 40; i++) {
      for (const q of FAMILY) {
        // Most people looking for their money want to know where their refund is.
        await visit(q, (slugs) => (roll() < 0.7 && slugs.includes(TARGET) ? slugs.indexOf(TARGET) : roll() < 0.4 ? 0 : undefined));
      }
    }

    for (const q of FAMILY) {
      const after = await rankOf(q, TARGET);
      expect(after, `"${q}": ${TARGET} was ${before.get(q)}, now ${after}`).toBeLessThan(before.get(q)!);
      expect(after, q).toBeLessThanOrEqual(2);
    }
    // Another query family learns nothing from it: its ranking is exactly what it was.
    for (const q of OTHER_FAMILY) expect(await ranking(q), q).toEqual(otherRanking.get(q));
    const explained = await search(services.searchDeps(), parseSearchRequest(new URLSearchParams({ q: FAMILY[0]!, limit: "10" })));
    const target = explained.results.find((r) => r.slug === TARGET)!;
    expect(target.explain.clicks).toMatchObject({ gated: false, weight: 0.1 });
    expect(target.explain.clicks!.contribution).toBeGreaterThan(0.05);
  });

  it("position bias alone gives the first result no lead: clicks at the rates positions get are neutral", async () => {
    // The agent surface has no traffic yet: its position curve is learned from this traffic alone.
    const q = "my package is late";
    const agentSearch = () => search(services.searchDeps(), parseSearchRequest(new URLSearchParams({ q, limit: "10", surface: "agent" })), "full", { internal: true });
    const before = (await agentSearch()).results.map((r) => r.slug);
    const roll = random(11);
    // Each result is clicked as often as results at its position are: 0.3 / (position + 1).
    const byPosition = (slugs: string[]) => {
      let r = roll();
      for (let p = 0; p < slugs.length; p++) if ((r -= 0.3 / (p + 1)) < 0) return p;
      return undefined;
    };
    for (let i = 0; i < 400; i++) await visit(q, byPosition, "agent");
    const response = await agentSearch();
    for (const result of response.results.slice(0, 3)) {
      expect(Math.abs(result.explain.clicks!.value), `${result.slug}: ${JSON.stringify(result.explain.clicks)}`).toBeLessThan(0.3);
    }
    // Close results may trade places by chance; the first result is not pushed further ahead.
    expect(response.results[0]!.slug).toBe(before[0]);
    expect(response.results[0]!.explain.clicks!.contribution).toBeLessThan(0.03);
  });

  it("the kill switch (CLICK_PRIOR=false or weight 0) ranks as if there were no clicks", async () => {
    const q = FAMILY[0]!;
    const withClicks = await ranking(q);
    const off = await ranking(q, { ...services.searchDeps(), clickPrior: undefined });
    expect(off).not.toEqual(withClicks);
    expect(off.indexOf(TARGET)).toBeGreaterThan(withClicks.indexOf(TARGET));
    const response = await search({ ...services.searchDeps(), clickPrior: undefined }, parseSearchRequest(new URLSearchParams({ q })));
    expect(response.results.every((r) => r.explain.clicks === undefined)).toBe(true);
  });
});
