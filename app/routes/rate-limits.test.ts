import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededApp } from "~/test/seeded-app";

const app = seededApp("limits", { RATE_LIMIT_SEARCH_PER_MIN: "3", RATE_LIMIT_EVENTS_PER_MIN: "2" });

const { outcome, BASE, ctx } = await import("~/test/route-client");
const apiSearch = await import("./api.search");
const apiEvents = await import("./api.events");
const helpHome = await import("./help._index");

const search = (address: string, url = "/api/search?q=refund") =>
  outcome(() => apiSearch.loader({ request: new Request(`${BASE}${url}`), params: {}, context: ctx(address) }));

beforeAll(() => app.setUp());
afterAll(() => app.tearDown());

describe("rate limits on the public endpoints", () => {
  it("searches: past the limit a 429 with Retry-After in the API's error shape, per client address", async () => {
    for (let i = 0; i < 3; i++) expect((await search("10.1.1.1")).status).toBe(200);
    const limited = await search("10.1.1.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/at most 3 a minute; try again in \d+ s/) } });
    // Another address has its own allowance.
    expect((await search("10.2.2.2")).status).toBe(200);
  });

  it("the help center's own searches count against the same limit and get a 429 page", async () => {
    const page = (q: string) => outcome(() => helpHome.loader({ request: new Request(`${BASE}/help?q=${q}`), params: {}, context: ctx("10.3.3.3") }));
    expect((await page("refund")).status).toBe(200);
    // Browsing without a query is not a search.
    expect((await outcome(() => helpHome.loader({ request: new Request(`${BASE}/help`), params: {}, context: ctx("10.3.3.3") }))).status).toBe(200);
    await page("return");
    await page("invoice");
    const limited = await page("warranty");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
  });

  it("event batches: 429 past the limit", async () => {
    const post = () =>
      outcome(() =>
        apiEvents.action({
          request: new Request(`${BASE}/api/events`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ events: [{ id: randomUUID(), kind: "settle", search_id: randomUUID(), surface: "help" }] }),
          }),
          params: {},
          context: ctx("10.4.4.4"),
        }),
      );
    expect((await post()).status).toBe(400); // unknown search, but counted
    expect((await post()).status).toBe(400);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  });
});
