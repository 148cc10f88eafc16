import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededApp } from "~/test/seeded-app";

const app = seededApp("events");

const { getServices } = await import("~/services.server");
const { Browser, outcome, BASE } = await import("~/test/route-client");
const helpHome = await import("./help._index");
const agentConsole = await import("./agent._index");
const apiSearch = await import("./api.search");
const apiEvents = await import("./api.events");
const click = await import("./click.$searchId.$position");
const report = await import("./report.$searchId");
const analytics = await import("./admin.analytics");
const analyticsCsv = await import("./admin.analytics[.csv]");
const experimentsPage = await import("./admin.experiments");

const AGENT = { email: "agent@voltaro.example", password: "demo-agent-password" };
const ADMIN = { email: "admin@voltaro.example", password: "demo-admin-password" };
const get = (route: { loader: (args: any) => unknown }, url: string, headers: Record<string, string> = {}, params: Record<string, string> = {}) =>
  outcome(() => route.loader({ request: new Request(`${BASE}${url}`, { headers }), params, context: {} }) as Promise<unknown>);
const post = (body: string, headers: Record<string, string> = {}) =>
  outcome(() =>
    apiEvents.action({
      request: new Request(`${BASE}/api/events`, { method: "POST", body, headers: { "Content-Type": "application/json", ...headers } }),
      params: {},
      context: {},
    }),
  );
const count = async (sql: string, ...params: unknown[]) => (await getServices()).db.prepare(sql).pluck().get(...params) as number;

/** An anonymous visitor's first help-center search: it hands out the visitor cookie. */
async function visitorSearch(q = "where is my package", cookie?: string) {
  const response = await get(helpHome, `/help?q=${encodeURIComponent(q)}`, cookie ? { Cookie: cookie } : {});
  const body = (await response.json()) as any;
  const setCookie = response.headers.get("Set-Cookie");
  return { response, result: body.result, cookie: cookie ?? setCookie!.split(";")[0]! };
}

beforeAll(() => app.setUp());
afterAll(() => app.tearDown());

describe("impressions", () => {
  it("a help-center search is logged before it is answered, with the visitor's new cookie", async () => {
    const { response, result, cookie } = await visitorSearch();
    expect(response.status).toBe(200);
    expect(cookie).toMatch(/^__helprank_visitor=/);
    const row = (await getServices()).searchLog.get(result.search_id)!;
    expect(row.surface).toBe("help");
    expect(row.settled).toBe(true);
    expect(row.sessionKey).toMatch(/^visitor:[0-9a-f-]{36}$/);
    expect(row.results.map((r) => r.slug)).toEqual(result.results.map((r: { slug: string }) => r.slug));
    expect(result.results[0].click_href).toBe(`/click/${result.search_id}/0?event=${result.results[0].event_id}`);

    // The same visitor keeps the same session; nobody else gets it.
    const again = await visitorSearch("refund", cookie);
    expect(again.response.headers.get("Set-Cookie")).toBeNull();
    expect((await getServices()).searchLog.get(again.result.search_id)!.sessionKey).toBe(row.sessionKey);
  });

  it("the console's typed searches wait to be settled; a page load is settled", async () => {
    const agent = await new Browser().init();
    await agent.signIn(AGENT.email, AGENT.password);
    const typed = await get(agentConsole, "/agent?q=escalation", { Cookie: agent.header(), "Sec-Fetch-Dest": "empty" });
    const typedId = ((await typed.json()) as any).result.search_id;
    expect((await getServices()).searchLog.get(typedId)!.settled).toBe(false);
    const loaded = await get(agentConsole, "/agent?q=escalation", { Cookie: agent.header(), "Sec-Fetch-Dest": "document" });
    const loadedId = ((await loaded.json()) as any).result.search_id;
    expect((await getServices()).searchLog.get(loadedId)!).toMatchObject({ settled: true, surface: "agent", sessionKey: expect.stringMatching(/^user:\d+$/) });
  });

  it("the search API returns the search id its events name, and takes settled=false for prefixes", async () => {
    const response = await get(apiSearch, "/api/search?q=refund&settled=false");
    const body = (await response.json()) as any;
    expect(body.search_id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await getServices()).searchLog.get(body.search_id)!.settled).toBe(false);
    const bad = await get(apiSearch, "/api/search?q=refund&settled=maybe");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toBe("settled must be true or false");
  });

  it("queries are stored without personal data, tickets included", async () => {
    await visitorSearch("my order A12345678 never came, mail jane.doe@example.com or call +44 7700 900123");
    const agent = await new Browser().init();
    await agent.signIn(AGENT.email, AGENT.password);
    const ticket = await outcome(() =>
      agentConsole.action({ request: agent.request("/agent", { form: { ticket: "Hi, order #B98765432 shipped but tracking not updated. bob@example.org" } }), params: {}, context: {} }),
    );
    expect(ticket.status).toBe(200);
    const stored = (await getServices()).db.prepare("SELECT query FROM searches").pluck().all() as string[];
    expect(stored.join("\n")).not.toMatch(/A12345678|B98765432|jane\.doe|example\.com|example\.org|7700/);
    expect(stored).toContain("my order [order] never came, mail [email] or call [phone]");
  });
});

describe("POST /api/events", () => {
  it("stores a click once whether it comes as a beacon, a retry or the result link's redirect", async () => {
    const { result, cookie } = await visitorSearch("where is my package");
    const hit = result.results[1];
    const event = { id: hit.event_id, kind: "click", search_id: result.search_id, surface: "help", slug: hit.slug, position: 1 };
    const first = await post(JSON.stringify({ events: [event] }), { Cookie: cookie });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ stored: 1, duplicates: 0, failed: [] });
    expect(await (await post(JSON.stringify({ events: [event] }), { Cookie: cookie })).json()).toEqual({ stored: 0, duplicates: 1, failed: [] });

    const redirect = await get(click, hit.click_href, { Cookie: cookie }, { searchId: result.search_id, position: "1" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("Location")).toBe(`/help/articles/${hit.slug}`);
    expect(await count("SELECT count(*) FROM events WHERE search_id = ? AND kind = 'click'", result.search_id)).toBe(1);
  });

  it("a result link logs the click without JavaScript; opened by someone else it only redirects", async () => {
    const { result, cookie } = await visitorSearch("cancel my order");
    const hit = result.results[0];
    const stranger = await get(click, hit.click_href, {}, { searchId: result.search_id, position: "0" });
    expect(stranger.headers.get("Location")).toBe(`/help/articles/${hit.slug}`);
    expect(await count("SELECT count(*) FROM events WHERE search_id = ?", result.search_id)).toBe(0);
    await get(click, hit.click_href, { Cookie: cookie }, { searchId: result.search_id, position: "0" });
    expect(await count("SELECT count(*) FROM events WHERE search_id = ? AND kind = 'click' AND slug = ?", result.search_id, hit.slug)).toBe(1);

    const unknown = await get(click, `/click/${randomUUID()}/0`, {}, { searchId: randomUUID(), position: "0" });
    expect(unknown.status).toBe(404);
    const notShown = await get(click, `/click/${result.search_id}/99`, { Cookie: cookie }, { searchId: result.search_id, position: "99" });
    expect(notShown.status).toBe(404);
  });

  it("'I didn't find what I need' is logged, then customers go to the contact article and agents back to the console", async () => {
    const { result, cookie } = await visitorSearch("zxqv blorptang");
    expect(result.total).toBe(0);
    const help = await get(report, result.report_href, { Cookie: cookie }, { searchId: result.search_id });
    expect(help.headers.get("Location")).toBe("/help/articles/contact-customer-service");
    expect(await count("SELECT count(*) FROM events WHERE search_id = ? AND kind = 'not_found'", result.search_id)).toBe(1);

    const agent = await new Browser().init();
    await agent.signIn(AGENT.email, AGENT.password);
    const page = (await (await get(agentConsole, "/agent?q=escalation", { Cookie: agent.header() })).json()) as any;
    const back = await get(report, page.result.report_href, { Cookie: agent.header() }, { searchId: page.result.search_id });
    expect(back.headers.get("Location")).toBe("/agent?reported=1");
    expect(await count("SELECT count(*) FROM events WHERE search_id = ? AND kind = 'not_found'", page.result.search_id)).toBe(1);
  });

  it("stores the valid events of a partly bad batch and says which failed", async () => {
    const { result, cookie } = await visitorSearch("where is my package");
    const good = { id: randomUUID(), kind: "click", search_id: result.search_id, surface: "help", slug: result.results[0].slug, position: 0 };
    const response = await post(
      JSON.stringify({ events: [good, { ...good, id: randomUUID(), search_id: randomUUID() }, { ...good, id: randomUUID(), slug: "refund-policy" }, "junk"] }),
      { Cookie: cookie },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.stored).toBe(1);
    expect(body.failed.map((f: { index: number; message: string }) => [f.index, f.message])).toEqual([
      [1, "search_id is not a known search"],
      [2, "slug was not shown at that position in that search"],
      [3, expect.stringMatching(/Expected object/)],
    ]);
  });

  it.each([
    ["malformed JSON", "{events: [", 400, "body must be JSON"],
    ["no events array", JSON.stringify({ event: {} }), 400, "Required"],
    ["an empty batch", JSON.stringify({ events: [] }), 400, "events must not be empty"],
    ["an oversized batch", JSON.stringify({ events: Array.from({ length: 51 }, () => ({})) }), 400, "a batch holds at most 50 events"],
    ["a JSON array", JSON.stringify([1]), 400, "the body must be a JSON object"],
    ["only bad events", JSON.stringify({ events: [{ id: randomUUID(), kind: "click", search_id: randomUUID(), surface: "help", slug: "a", position: 0 }] }), 400, "no event was stored: #0: search_id is not a known search"],
  ])("%s is a 400 with a message", async (_what, body, status, message) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as any).error.message).toContain(message);
  });

  it("refuses other content types, GET, and bodies over 64 KB", async () => {
    expect((await post("{}", { "Content-Type": "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await get(apiEvents, "/api/events")).status).toBe(405);
    const big = await post(JSON.stringify({ events: [{ pad: "x".repeat(70_000) }] }));
    expect(big.status).toBe(413);
  });
});

describe("A/B tests and the dashboard", () => {
  it("a running experiment puts each visitor's help searches on one arm, logged with the search", async () => {
    const admin = await new Browser().init();
    await admin.signIn(ADMIN.email, ADMIN.password);
    const bad = await outcome(() =>
      experimentsPage.action({ request: admin.request("/admin/experiments", { form: { intent: "create", name: "x", surface: "help", presetA: "help", presetB: "agent-internal-first", splitPercent: "50" } }), params: {}, context: {} }),
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("is not available on the help surface");
    const created = await outcome(() =>
      experimentsPage.action({ request: admin.request("/admin/experiments", { form: { intent: "create", name: "Shipping first", surface: "help", presetA: "help", presetB: "shipping-status-first", splitPercent: "50" } }), params: {}, context: {} }),
    );
    expect(created.status).toBe(200);

    const { result, cookie } = await visitorSearch("where is my package");
    const arm = (await getServices()).db.prepare("SELECT variant, experiment_id AS experimentId, preset FROM searches WHERE id = ?").get(result.search_id) as any;
    expect(["A", "B"]).toContain(arm.variant);
    expect(arm.preset).toBe(arm.variant === "A" ? "help" : "shipping-status-first");
    const again = await visitorSearch("refund", cookie);
    expect(((await getServices()).db.prepare("SELECT variant FROM searches WHERE id = ?").get(again.result.search_id) as any).variant).toBe(arm.variant);
    // An explicit preset is not part of the experiment.
    const explicit = (await (await get(helpHome, "/help?q=refund&preset=billing-and-refunds", { Cookie: cookie })).json()) as any;
    expect(explicit.result.instruction.preset).toBe("billing-and-refunds");
    expect(((await getServices()).db.prepare("SELECT variant FROM searches WHERE id = ?").get(explicit.result.search_id) as any).variant).toBeNull();

    const page = (await (await get(analytics, "/admin/analytics", { Cookie: admin.header() })).json()) as any;
    expect(page.report.searches).toBeGreaterThan(0);
    expect(page.experiments[0].experiment.name).toBe("Shipping first");
    expect(page.experiments[0].arms.map((a: { preset: string }) => a.preset)).toEqual(["help", "shipping-status-first"]);
    const experiment = page.experiments[0].experiment;
    await outcome(() => experimentsPage.action({ request: admin.request("/admin/experiments", { form: { intent: "stop", id: String(experiment.id) } }), params: {}, context: {} }));
    expect((await getServices()).experiments.running("help")).toBeUndefined();
  });

  it("the dashboard and its CSV are for admins, and refuse a bad range with a message", async () => {
    const anonymous = await get(analytics, "/admin/analytics");
    expect(anonymous.status).toBe(302);
    const agent = await new Browser().init();
    await agent.signIn(AGENT.email, AGENT.password);
    expect((await get(analytics, "/admin/analytics", { Cookie: agent.header() })).status).toBe(403);
    expect((await get(analyticsCsv, "/admin/analytics.csv", { Cookie: agent.header() })).status).toBe(403);

    const admin = await new Browser().init();
    await admin.signIn(ADMIN.email, ADMIN.password);
    const bad = await get(analytics, "/admin/analytics?from=2026-12-05&to=2026-12-01", { Cookie: admin.header() });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error).toBe("from must not be after to");
    const csv = await get(analyticsCsv, "/admin/analytics.csv?surface=help", { Cookie: admin.header() });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^search_id,created_at,surface,query/);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.slice(1).every((l) => l.split(",")[2] === "help")).toBe(true);
    expect((await get(analyticsCsv, "/admin/analytics.csv?surface=shop", { Cookie: admin.header() })).status).toBe(400);
  });
});
