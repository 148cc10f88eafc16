import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The route reads its services from the environment: point it at a fresh database file.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-api-"));
process.env.DATABASE_PATH = path.join(dir, "api.db");
process.env.ENGINE = "sqlite";

const { getServices } = await import("~/services.server");
const { importArticles } = await import("~/articles/import.server");
const { loader: searchLoader } = await import("./api.search");
const { loader: articleLoader } = await import("./articles.$slug");

async function get(query: string) {
  const response = await searchLoader({ request: new Request(`http://test/api/search?${query}`), params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  const { store, engine } = await getServices();
  const summary = await importArticles({ dir: "seed/articles", store, engine });
  expect(summary.failed).toBe(0);
});
afterAll(async () => {
  (await getServices()).db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("GET /api/search", () => {
  it("returns the documented JSON shape", async () => {
    const { status, body } = await get("q=where+is+my+package&limit=5");
    expect(status).toBe(200);
    expect(body).toMatchObject({ query: "where is my package", surface: "help", engine: "sqlite", locale: "en" });
    expect(body.timings.retrieve_ms).toBeGreaterThanOrEqual(0);
    expect(body.timings.total_ms).toBeGreaterThanOrEqual(body.timings.retrieve_ms);
    expect(body.total).toBeGreaterThan(5);
    expect(body.results).toHaveLength(5);
    const first = body.results[0];
    expect(Object.keys(first).sort()).toEqual(
      ["audience", "category", "explain", "locale", "score", "slug", "snippet", "title", "title_html", "url"].sort(),
    );
    expect(first.url).toBe(`/articles/${first.slug}`);
    expect(first.explain.keyword).toEqual({ rank: 1, score: first.score });
    expect(body.results.map((r: any) => r.slug)).toContain("track-your-order");
  });

  it("finds the Chinese tracking article for a Chinese query", async () => {
    const { body } = await get(`q=${encodeURIComponent("物流没更新")}`);
    expect(body.locale).toBe("zh");
    expect(body.results[0].slug).toBe("tracking-not-updating-zh");
  });

  it("pages with offset and filters by category", async () => {
    const page1 = await get("q=refund&limit=3");
    const page2 = await get("q=refund&limit=3&offset=3");
    expect(page2.body.results[0].explain.keyword.rank).toBe(4);
    expect(page1.body.results.map((r: any) => r.slug)).not.toContain(page2.body.results[0].slug);
    const filtered = await get("q=refund&category=payments");
    expect(filtered.body.results.length).toBeGreaterThan(0);
    expect(filtered.body.results.every((r: any) => r.category === "payments")).toBe(true);
  });

  it.each([
    ["q=", /q must not be empty/],
    ["limit=5", /q is required/],
    [`q=${"a".repeat(501)}`, /at most 500 characters/],
    ["q=refund&limit=101", /limit must be at most 100/],
    ["q=refund&limit=ten", /limit must be a number/],
    ["q=refund&offset=-1", /offset must be 0 or more/],
    ["q=refund&surface=partners", /surface must be one of: help, agent/],
    ["q=refund&locale=fr", /locale must be one of/],
    ["q=refund&category=Not%20A%20Slug", /category/],
    ["q=refund&q=return", /q must be given once/],
  ])("answers 400 with a message for %s", async (query, message) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toMatch(message);
  });

  it("never returns an internal article, on any surface", async () => {
    const queries = ["escalation matrix", "goodwill credits tier", "chargeback", "agent handbook", "fraud review", "refund override"];
    for (const q of queries) {
      for (const surface of ["help", "agent"]) {
        const { status, body } = await get(`q=${encodeURIComponent(q)}&surface=${surface}&limit=100`);
        expect(status).toBe(200);
        expect(body.results.every((r: any) => r.audience === "public")).toBe(true);
        expect(body.results.map((r: any) => r.slug)).not.toContain("escalation-matrix");
      }
    }
    const { store } = await getServices();
    expect(store.getBySlug("escalation-matrix")?.audience).toBe("internal");
  });
});

describe("GET /articles/:slug", () => {
  const load = (slug: string) =>
    articleLoader({ request: new Request(`http://test/articles/${slug}`), params: { slug }, context: {} });

  it("serves a public article with sanitised HTML", async () => {
    const article = await load("track-your-order");
    expect(article.title).toBe("Track your order");
    expect(article.html).toContain("<h2>");
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
