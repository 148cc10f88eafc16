import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededApp } from "~/test/seeded-app";

const app = seededApp("surfaces");

const { getServices } = await import("~/services.server");
const { Browser, outcome, BASE } = await import("~/test/route-client");
const helpHome = await import("./help._index");
const helpCategory = await import("./help.categories.$category");
const helpArticle = await import("./help.articles.$slug");
const agentConsole = await import("./agent._index");
const agentArticle = await import("./agent.articles.$slug");
const oldArticle = await import("./articles.$slug");
const index = await import("./_index");

const AGENT = { email: "agent@voltaro.example", password: "demo-agent-password" };
const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as any });
const call = (route: { loader: (args: any) => unknown }, url: string, params: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  outcome(() => route.loader({ request: new Request(`${BASE}${url}`, { headers }), params, context: {} }) as Promise<unknown>);

beforeAll(() => app.setUp());
afterAll(() => app.tearDown());

describe("help center", () => {
  it("/ sends to /help with the search kept", async () => {
    const response = await outcome(async () => index.loader({ request: new Request(`${BASE}/?q=refund`), params: {}, context: {} }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/help?q=refund");
  });

  it("home lists topics by display name, never the internal one, in English and Chinese", async () => {
    const en = await json(await call(helpHome, "/help"));
    expect(en.status).toBe(200);
    const names = en.body.topics.map((t: { name: string }) => t.name);
    expect(names).toContain("Returns and refunds");
    expect(names).not.toContain("Agent procedures");
    expect(en.body.topics.every((t: { count: number }) => t.count > 0)).toBe(true);
    const zh = await json(await call(helpHome, "/help?lang=zh"));
    expect(zh.body.lang).toBe("zh");
    expect(zh.body.topics.map((t: { name: string }) => t.name)).toContain("退货与退款");
    expect(zh.body.contactHref).toBe("/help/articles/contact-customer-service-zh");
  });

  it("searches public articles only, whatever the URL asks for", async () => {
    for (const extra of ["", "&surface=agent", "&locale=all"]) {
      const { status, body } = await json(await call(helpHome, `/help?q=escalate+to+tier+2+goodwill+credit${extra}`));
      expect(status).toBe(200);
      expect(body.result.surface).toBe("help");
      expect(body.result.results.every((r: { audience: string }) => r.audience === "public")).toBe(true);
      expect(body.result.results.every((r: { url: string }) => r.url.startsWith("/help/articles/"))).toBe(true);
    }
    const { status, body } = await json(await call(helpHome, "/help?q=refund&audience=internal"));
    expect(status).toBe(400);
    expect(body.error).toMatch(/agent surface/);
  });

  it("results carry category display names, and Chinese queries find Chinese articles", async () => {
    const { body } = await json(await call(helpHome, "/help?q=%E5%BF%AB%E9%80%92%E5%88%B0%E5%93%AA%E4%BA%86&lang=zh"));
    expect(body.result.results[0].locale).toBe("zh");
    expect(body.result.results[0].category_name).toBe("订单"); // track-your-order-zh is in "orders"
  });

  it("nonsense finds nothing (total 0, so the page shows its empty state); invisible characters are a 400", async () => {
    const empty = await json(await call(helpHome, "/help?q=qwxz+vbnm+plok"));
    expect(empty.status).toBe(200);
    expect(empty.body.result.total).toBe(0);
    expect(empty.body.topics.length).toBeGreaterThan(3);
    const invisible = await json(await call(helpHome, "/help?q=%E2%80%8B%E2%80%8B"));
    expect(invisible.status).toBe(400);
    expect(invisible.body.error).toMatch(/q/);
  });

  it("a category page lists its public articles in the page's language; an unknown or internal one is a 404", async () => {
    const shipping = await json(await call(helpCategory, "/help/categories/shipping", { category: "shipping" }));
    expect(shipping.body.category.name).toBe("Shipping and delivery");
    expect(shipping.body.articles.every((a: { locale: string }) => a.locale === "en")).toBe(true);
    const zh = await json(await call(helpCategory, "/help/categories/shipping?lang=zh", { category: "shipping" }));
    expect(zh.body.articles.length).toBeGreaterThan(0);
    expect(zh.body.articles.every((a: { locale: string }) => a.locale === "zh")).toBe(true);
    for (const category of ["agent-procedures", "no-such-topic", "../x"]) {
      expect((await call(helpCategory, `/help/categories/${category}`, { category })).status).toBe(404);
    }
  });

  it("an article links its related articles and its translation, both ways", async () => {
    const en = await json(await call(helpArticle, "/help/articles/track-your-order", { slug: "track-your-order" }));
    expect(en.body.article.related.map((r: { slug: string }) => r.slug)).toEqual(["order-status-meanings", "tracking-not-updating", "split-shipments"]);
    expect(en.body.article.translation.slug).toBe("track-your-order-zh");
    expect(en.body.article.html).not.toContain("Related articles:");
    expect(en.body.article.toc.length).toBeGreaterThan(1);
    const zh = await json(await call(helpArticle, "/help/articles/track-your-order-zh", { slug: "track-your-order-zh" }));
    expect(zh.body.lang).toBe("zh");
    expect(zh.body.article.translation.slug).toBe("track-your-order");
    expect(zh.body.article.category.name).toBe("订单");
  });

  it("an internal article's related links never reach the help center", async () => {
    const { store } = await getServices();
    const withInternalLinks = store.all().find((a) => a.audience === "public" && a.related.some((slug) => store.getBySlug(slug)?.audience === "internal"));
    if (withInternalLinks) {
      const { body } = await json(await call(helpArticle, `/help/articles/${withInternalLinks.slug}`, { slug: withInternalLinks.slug }));
      expect(body.article.related.every((r: { slug: string }) => store.getBySlug(r.slug)?.audience === "public")).toBe(true);
    }
    expect((await call(helpArticle, "/help/articles/escalation-matrix", { slug: "escalation-matrix" })).status).toBe(404);
  });

  it('"Was this helpful?" is stored once per answer id, and bad answers are 400s', async () => {
    const browser = await new Browser().init();
    const { body } = await json(await call(helpArticle, "/help/articles/request-a-refund", { slug: "request-a-refund" }));
    const send = (form: Record<string, string>, csrf = true) =>
      outcome(() => helpArticle.action({ request: browser.request("/help/articles/request-a-refund", { form, csrf }), params: { slug: "request-a-refund" }, context: {} }));
    const ok = await json(await send({ helpful: "no", feedbackId: body.feedbackId }));
    expect(ok).toEqual({ status: 200, body: { helpful: "no" } });
    await send({ helpful: "no", feedbackId: body.feedbackId }); // a reload re-posts the same answer
    const { events } = await getServices();
    expect(events.helpfulCounts("request-a-refund")).toEqual({ yes: 0, no: 1 });
    expect((await json(await send({ helpful: "maybe", feedbackId: body.feedbackId }))).status).toBe(400);
    expect((await json(await send({ helpful: "yes", feedbackId: "not-a-uuid" }))).status).toBe(400);
    expect((await send({ helpful: "yes", feedbackId: body.feedbackId }, false)).status).toBe(403);
  });

  it("old /articles/ links with a path that names no article are a 404, not a redirect", async () => {
    for (const slug of ["..", ".", "%2e%2e", "a/b", "Track-Your-Order"]) {
      const response = await call(oldArticle, `/articles/${encodeURIComponent(slug)}`, { slug: decodeURIComponent(slug) });
      expect(response.status, slug).toBe(404);
    }
  });

  it("old /articles/ links go to the help center, or to the console for a signed-in agent", async () => {
    const anonymous = await call(oldArticle, "/articles/track-your-order", { slug: "track-your-order" });
    expect(anonymous.headers.get("Location")).toBe("/help/articles/track-your-order");
    const agent = await new Browser().init();
    await agent.signIn(AGENT.email, AGENT.password);
    const signedIn = await call(oldArticle, "/articles/escalation-matrix", { slug: "escalation-matrix" }, { Cookie: agent.header() });
    expect(signedIn.headers.get("Location")).toBe("/agent/articles/escalation-matrix");
  });
});

describe("agent console", () => {
  let agent: InstanceType<typeof Browser>;
  beforeAll(async () => {
    agent = await new Browser().init();
    await agent.signIn(AGENT.email, AGENT.password);
  });
  const console_ = async (query: string) => json(await outcome(() => agentConsole.loader({ request: agent.request(`/agent${query}`), params: {}, context: {} })));

  it("sends anonymous visitors to sign in", async () => {
    const response = await call(agentConsole, "/agent?q=refund");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("lists the agent presets with the default marked, and switches preset from the URL", async () => {
    const home = await console_("");
    expect(home.body.presets.some((p: { slug: string }) => p.slug === "agent-internal-first")).toBe(true);
    expect(home.body.presets.filter((p: { isDefault: boolean }) => p.isDefault)).toHaveLength(1);
    expect(home.body.presets.some((p: { slug: string }) => p.slug === "self-service-steps")).toBe(false); // help only
    const switched = await console_("?q=refund+for+damaged+item&preset=agent-internal-first");
    expect(switched.body.result.instruction.preset).toBe("agent-internal-first");
    const helpOnly = await console_("?q=refund&preset=self-service-steps");
    expect(helpOnly.status).toBe(400);
  });

  it("filters by audience, category and locale", async () => {
    const internal = await console_("?q=refund&audience=internal");
    expect(internal.body.result.results.length).toBeGreaterThan(0);
    expect(internal.body.result.results.every((r: { audience: string }) => r.audience === "internal")).toBe(true);
    expect(internal.body.result.results[0].url).toMatch(/^\/agent\/articles\//);
    const publicOnly = await console_("?q=refund&audience=public&category=returns-refunds");
    expect(publicOnly.body.result.results.every((r: { audience: string; category: string }) => r.audience === "public" && r.category === "returns-refunds")).toBe(true);
    const zh = await console_("?q=refund&locale=zh");
    expect(zh.body.result.results.every((r: { locale: string }) => r.locale === "zh")).toBe(true);
    expect((await console_("?q=refund&audience=everyone")).status).toBe(400);
  });

  it("ticket mode searches for a query derived from the message, sent in the body", async () => {
    const ticket =
      "Hi team,\n\nMy order #VT-483920 was marked as delivered yesterday but the package is not here. I checked with my neighbours. " +
      "You can reach me at jane.doe@example.com or +1 (555) 123-4567.\n\nThanks,\nJane";
    const post = (form: Record<string, string>) =>
      outcome(() => agentConsole.action({ request: agent.request("/agent?index", { form }), params: {}, context: {} }));
    const { status, body } = await json(await post({ ticket, audience: "public" }));
    expect(status).toBe(200);
    expect(body.ticket.query).toMatch(/delivered/);
    expect(body.ticket.query).not.toMatch(/483920|jane|555|Hi team|Thanks/i);
    expect(body.ticket.removed.map((r: { kind: string }) => r.kind)).toEqual(expect.arrayContaining(["greeting", "order-number", "email", "phone", "sign-off"]));
    expect(body.result.results[0].slug).toBe("package-marked-delivered-not-received");
    expect(body.result.results.every((r: { audience: string }) => r.audience === "public")).toBe(true);
    const tooLong = await json(await post({ ticket: "where is my package ".repeat(120) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatch(/at most 2000/);
    const nothing = await json(await post({ ticket: "Hi,\n\nThanks!\nJane" }));
    expect(nothing.status).toBe(400);
    expect(nothing.body.error).toMatch(/nothing to search/);
  });

  it("opens internal articles with links to related internal procedures", async () => {
    const { body } = await json(await outcome(() => agentArticle.loader({ request: agent.request("/agent/articles/account-takeover-response"), params: { slug: "account-takeover-response" }, context: {} })));
    expect(body.audience).toBe("internal");
    expect(body.related.map((r: { slug: string }) => r.slug)).toEqual(["verify-customer-identity", "fraud-review-high-value-orders", "chargeback-handling"]);
  });
});
