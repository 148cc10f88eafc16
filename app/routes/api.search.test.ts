import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededApp } from "~/test/seeded-app";

const app = seededApp("api");

const { getServices } = await import("~/services.server");
const apiSearch = await import("./api.search");
const searchLoader = apiSearch.loader;
const { loader: articleLoader } = await import("./help.articles.$slug");

async function get(query: string) {
  const response = await searchLoader({ request: new Request(`http://test/api/search?${query}`), params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(() => app.setUp());
afterAll(() => app.tearDown());

describe("GET /api/search", () => {
  it("returns the documented JSON shape", async () => {
    const { status, body } = await get("q=where+is+my+package&limit=5");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      query: "where is my package",
      corrected_query: null,
      corrections: [],
      surface: "help",
      engine: "sqlite",
      locale: "en",
      instruction: { preset: "help", text: null, steering: 1 },
      reranker: { name: "embedding", model: "all-MiniLM-L6-v2-int8", status: "ok" },
    });
    expect(body.timings.retrieve_ms).toBeGreaterThanOrEqual(0);
    expect(body.timings.rerank_ms).toBeGreaterThanOrEqual(0);
    expect(body.timings.total_ms).toBeGreaterThanOrEqual(body.timings.retrieve_ms);
    expect(body.total).toBeGreaterThan(5);
    expect(body.results).toHaveLength(5);
    const first = body.results[0];
    expect(Object.keys(first).sort()).toEqual(
      ["audience", "category", "explain", "locale", "score", "slug", "snippet", "title", "title_html", "updated", "url"].sort(),
    );
    expect(first.url).toBe(`/help/articles/${first.slug}`);
    expect(first.slug).toBe("track-your-order");
    const { keyword, semantic, phrasing } = first.explain;
    expect(keyword).toMatchObject({ rank: 1, weight: 0.05 });
    expect(semantic).toMatchObject({ weight: 1, best: { kind: expect.any(String) } });
    expect(phrasing).toMatchObject({ weight: 0.1, matched: expect.any(String) });
    expect(keyword.contribution + semantic.contribution + phrasing.contribution).toBeCloseTo(first.score, 3);
    const scores = body.results.map((r: any) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("corrects typos, reports them, and searches as typed with exact=1", async () => {
    const corrected = await get("q=trakcing+numbr+for+my+shippment");
    expect(corrected.body.corrected_query).toBe("tracking number for my shipment");
    expect(corrected.body.corrections).toEqual([
      { from: "trakcing", to: "tracking" },
      { from: "numbr", to: "number" },
      { from: "shippment", to: "shipment" },
    ]);
    expect(corrected.body.results[0].slug).toBe("track-your-order");
    const exact = await get("q=trakcing+numbr+for+my+shippment&exact=1");
    expect(exact.body).toMatchObject({ query: "trakcing numbr for my shippment", corrected_query: null, corrections: [] });
    expect((await get("q=refund&exact=maybe")).status).toBe(400);
  });

  it("finds the Chinese tracking article for a Chinese query", async () => {
    const { body } = await get(`q=${encodeURIComponent("物流没更新")}`);
    expect(body.locale).toBe("zh");
    expect(body.results[0].slug).toBe("tracking-not-updating-zh");
    expect(body.results[0].explain.phrasing.matched).toBe("物流不更新"); // Chinese words match written phrasings too
    // The multilingual encoder serves Chinese: the semantic stage runs and the status is ok.
    expect(body.reranker).toMatchObject({ status: "ok", model: "multilingual-e5-small-int8-trim" });
    expect(body.results[0].explain.semantic.score).toBeGreaterThan(0.8);
  });

  it("pages with offset and filters by category", async () => {
    const page1 = await get("q=refund&limit=3");
    const page2 = await get("q=refund&limit=3&offset=3");
    const all = await get("q=refund&limit=6");
    expect(page1.body.results.map((r: any) => r.slug)).toEqual(all.body.results.slice(0, 3).map((r: any) => r.slug));
    expect(page2.body.results.map((r: any) => r.slug)).toEqual(all.body.results.slice(3, 6).map((r: any) => r.slug));
    const filtered = await get("q=refund&category=payments");
    expect(filtered.body.results.length).toBeGreaterThan(0);
    expect(filtered.body.results.every((r: any) => r.category === "payments")).toBe(true);
  });

  it.each([
    ["q=", /q must not be empty/],
    ["limit=5", /q is required/],
    [`q=${"a".repeat(501)}`, /at most 500 characters/],
    ["q=refund&limit=101", /limit must be at most 100/],
    ["q=refund&limit=ten", /limit must be a whole number/],
    ["q=refund&offset=-1", /offset must be a whole number/],
    // Whole decimal numbers only.
    ["q=refund&limit=1e2", /limit must be a whole number/],
    ["q=refund&limit=0x10", /limit must be a whole number/],
    ["q=refund&limit=%20%2010", /limit must be a whole number/],
    ["q=refund&offset=-0", /offset must be a whole number/],
    ["q=refund&limit=0", /limit must be at least 1/],
    // One normalisation rule for q: invisible characters drop out, control characters are refused.
    ["q=%00%00", /q must not contain control characters/],
    ["q=ref%00und", /q must not contain control characters/],
    ["q=%1b%5b31m", /q must not contain control characters/],
    ["q=%E2%80%8B%E2%80%8B", /q must not be empty/],
    ["q=%EF%BB%BF", /q must not be empty/],
    ["q=%0A%09%0D", /q must not be empty/],
    // Categories: a slug of at most 60 characters that this caller can see.
    [`q=refund&category=${"a".repeat(61)}`, /category must be at most 60 characters/],
    ["q=refund&category=no-such-topic", /category must be one of: account, audio-video, billing/],
    ["q=refund&category=agent-procedures", /^category must be one of: (?!.*agent-procedures)/],
    ["q=refund&surface=partners", /surface must be one of: help, agent/],
    ["q=refund&locale=fr", /locale must be one of/],
    ["q=refund&category=Not%20A%20Slug", /category/],
    ["q=refund&q=return", /q must be given once/],
    ["q=refund&preset=sales", /preset sales does not exist/],
    ["q=refund&preset=agent-internal-first", /preset agent-internal-first is for the agent surface only/],
    ["q=refund&preset=Not%20A%20Slug", /preset must be a preset slug/],
    [`q=refund&instruction=${"x".repeat(501)}`, /instruction must be at most 500 characters/],
  ])("answers 400 with a message for %s", async (query, message) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toMatch(message);
  });

  it.each(['"refund', "refund*", "NEAR(refund return)", "refund OR return", "title:refund", "refund AND", "(", "^", "-refund", "'; DROP TABLE articles; --"])(
    "treats FTS and SQL syntax as text: %s",
    async (q) => {
      const { status, body } = await get(`q=${encodeURIComponent(q)}`);
      expect(status).toBe(200);
      expect(body.query).toBe(q);
      expect(Array.isArray(body.results)).toBe(true);
    },
  );

  it("POST is a 405 in the API's error shape, saying GET is allowed", async () => {
    const response = await apiSearch.action({ request: new Request("http://test/api/search?q=x", { method: "POST" }), params: {}, context: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET");
    expect(((await response.json()) as any).error).toEqual({ code: "method_not_allowed", message: expect.stringMatching(/use GET/) });
  });

  it("never returns an internal article to an anonymous caller, with any preset", async () => {
    const queries = ["escalation matrix", "goodwill credits tier", "chargeback", "agent handbook", "fraud review", "refund override"];
    const helpPresets = ["", "help", "shipping-status-first", "self-service-steps", "billing-and-refunds"];
    for (const q of queries) {
      for (const preset of helpPresets) {
        const { status, body } = await get(`q=${encodeURIComponent(q)}&surface=help&limit=100&preset=${preset}&instruction=${encodeURIComponent("internal agent procedures first")}`);
        expect(status).toBe(200);
        expect(body.results.every((r: any) => r.audience === "public")).toBe(true);
        expect(body.results.map((r: any) => r.slug)).not.toContain("escalation-matrix");
      }
      expect((await get(`q=${encodeURIComponent(q)}&surface=agent`)).status).toBe(401);
    }
    const { store } = await getServices();
    expect(store.getBySlug("escalation-matrix")?.audience).toBe("internal");
  });
});

describe("GET /api/search with the neural pipeline", () => {
  it("reaches the right article for queries that share no words with it", async () => {
    for (const q of ["wheres my stuff", "pkg not here yet"]) {
      const { body } = await get(`q=${encodeURIComponent(q)}&limit=5`);
      const slugs = body.results.map((r: any) => r.slug);
      expect(slugs.some((s: string) => ["track-your-order", "tracking-not-updating", "delivery-delays", "package-marked-delivered-not-received"].includes(s))).toBe(true);
    }
    const { body } = await get("q=pkg+not+here+yet&limit=50");
    expect(body.results.some((r: any) => r.explain.keyword.rank === null)).toBe(true);
  });

  it.each(["how do black holes form", "what is the meaning of life", "今天天气怎么样", "🙈🙉🙊"])(
    "answers a query nothing fits with total 0: %s",
    async (q) => {
      const { status, body } = await get(`q=${encodeURIComponent(q)}&instruction=${encodeURIComponent("prefer articles about delivery")}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ total: 0, results: [] });
    },
  );

  it("an instruction steers the order and is explained", async () => {
    const q = encodeURIComponent("my order came late and the box was damaged");
    const shipping = await get(`q=${q}&limit=10&instruction=${encodeURIComponent("prefer articles about shipping and delivery status")}`);
    const refunds = await get(`q=${q}&limit=10&instruction=${encodeURIComponent("prefer articles about refunds and getting money back")}`);
    expect(shipping.body.instruction).toEqual({ preset: "help", text: "prefer articles about shipping and delivery status", steering: 1 });
    const share = (body: any, category: string) => body.results.filter((r: any) => r.category === category).length;
    expect(share(refunds.body, "returns-refunds")).toBeGreaterThan(share(shipping.body, "returns-refunds"));
    expect(share(shipping.body, "shipping")).toBeGreaterThan(share(refunds.body, "shipping"));
    const top = shipping.body.results[0];
    // The help default preset has no instruction: the caller's is a term of its own.
    expect(top.explain.instruction).toBeUndefined();
    expect(top.explain.request_instruction).toMatchObject({ weight: 2 });
    expect(top.explain.request_instruction.value).toBeGreaterThanOrEqual(0);
    expect(top.explain.request_instruction.value).toBeLessThanOrEqual(1);
  });
});

describe("GET /help/articles/:slug", () => {
  const load = (slug: string) =>
    articleLoader({ request: new Request(`http://test/help/articles/${slug}`), params: { slug }, context: {} });

  it("serves a public article with sanitised HTML", async () => {
    const { article } = await load("track-your-order").then((r) => r.json());
    expect(article.title).toBe("Track your order");
    expect(article.html).toMatch(/<h2 id="[a-z0-9-]+">/);
    expect(article.html).not.toMatch(/<script|onerror=/i);
  });

  it("answers 404 for internal and unknown articles alike", async () => {
    for (const slug of ["escalation-matrix", "agent-handbook", "no-such-article", "../etc/passwd"]) {
      const error = await load(slug).then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(Response);
      expect((error as Response).status).toBe(404);
    }
  });
});
