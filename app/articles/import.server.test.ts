import { isUtf8 } from "node:buffer";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteEngine } from "~/search/engines/sqlite.server";
import { articleFrontMatter, createTempDb, writeArticle } from "~/test/temp-db";
import { importArticles, invalidUtf8Offset, reindexAll } from "./import.server";
import { ArticleStore } from "./store.server";

describe("importArticles (real SQLite file)", () => {
  let temp: ReturnType<typeof createTempDb>;
  let dir: string;
  let store: ArticleStore;
  let engine: SqliteEngine;

  const run = (prune = false) => importArticles({ dir, store, engine, prune });
  const keywordSlugs = async (text: string) =>
    (await engine.search({ text, audiences: ["public", "internal"], limit: 50, offset: 0 })).hits.map((h) => h.slug);

  beforeEach(() => {
    temp = createTempDb();
    dir = path.join(temp.dir, "articles");
    store = new ArticleStore(temp.db);
    engine = new SqliteEngine(temp.db);
    writeArticle(dir, "en/track.md", articleFrontMatter("track-your-order", { title: "Track your order", tags: ["tracking", "where is my order"] }),
      "See where your parcel is.\n\n## Tracking number\n\nWe email a tracking number when the order ships.");
    writeArticle(dir, "en/refund.md", articleFrontMatter("refund-policy", { title: "Refund policy", category: "returns-refunds" }),
      "Refunds go to the original payment method.");
    writeArticle(dir, "internal/escalate.md", articleFrontMatter("escalation-matrix", { title: "Escalation matrix", audience: "internal", category: "agent-procedures" }),
      "Tier 2 handles carrier claims.");
    writeArticle(dir, "zh/track.md", articleFrontMatter("track-your-order-zh", { title: "查询订单物流", locale: "zh" }),
      "如果物流信息没有更新，请耐心等待。");
  });
  afterEach(() => temp.cleanup());

  it("imports articles with rendered HTML, plain text and passages, and indexes them", async () => {
    const summary = await run();
    expect(summary).toMatchObject({ files: 4, added: 4, updated: 0, unchanged: 0, failed: 0, removed: 0 });
    const article = store.getBySlug("track-your-order");
    expect(article).toMatchObject({ title: "Track your order", category: "orders", audience: "public", locale: "en", updated: "2026-10-01", sourcePath: "en/track.md" });
    expect(article?.tags).toEqual(["tracking", "where is my order"]);
    expect(article?.bodyHtml).toContain('<h2 id="tracking-number">Tracking number</h2>');
    expect(article?.bodyText).toContain("We email a tracking number");
    expect(store.passages(article!.id).map((p) => p.heading)).toEqual(["", "Tracking number"]);
    expect(await engine.count()).toBe(4);
    expect(await keywordSlugs("tracking number")).toContain("track-your-order");
  });

  it("gives a search page its listings without the bodies, and one body or passage text on request", async () => {
    await run();
    const article = store.getBySlug("track-your-order")!;
    const listings = store.listingsBySlug(["track-your-order", "no-such-article"]);
    expect([...listings.keys()]).toEqual(["track-your-order"]);
    expect(listings.get("track-your-order")).toEqual({ id: article.id, slug: "track-your-order", title: "Track your order", category: "orders", audience: "public", locale: "en", updated: "2026-10-01" });
    expect(store.bodyText(article.id)).toBe(article.bodyText);
    const second = store.passages(article.id)[1]!;
    expect(store.bodyText(article.id, second.position)).toBe(second.text);
    expect(store.bodyText(article.id, 99)).toBe(article.bodyText);
    expect(store.bodyText(-1)).toBeUndefined();
  });

  it("is idempotent: a second run skips unchanged files by content hash", async () => {
    await run();
    const before = store.getBySlug("refund-policy");
    const summary = await run();
    expect(summary).toMatchObject({ added: 0, updated: 0, unchanged: 4, failed: 0 });
    expect(store.getBySlug("refund-policy")).toEqual(before);
    expect(await engine.count()).toBe(4);
  });

  it("updates a changed file in the store and in the index", async () => {
    await run();
    writeArticle(dir, "en/refund.md", articleFrontMatter("refund-policy", { title: "Refund policy", category: "returns-refunds" }),
      "Refunds go to the original payment method, or to store credit within minutes.");
    const summary = await run();
    expect(summary).toMatchObject({ added: 0, updated: 1, unchanged: 3 });
    expect(store.getBySlug("refund-policy")?.bodyText).toContain("store credit");
    expect(await keywordSlugs("credit")).toEqual(["refund-policy"]);
    expect(await engine.count()).toBe(4);
  });

  it("reports bad files with file name and reason, imports the rest and counts failures", async () => {
    await run();
    fs.writeFileSync(path.join(dir, "en/broken-yaml.md"), "---\nslug: [oops\n---\nBody\n");
    writeArticle(dir, "en/audience.md", articleFrontMatter("bad-audience", { audience: "partners" }), "Body text.");
    writeArticle(dir, "en/duplicate.md", articleFrontMatter("refund-policy"), "Another refund article.");
    writeArticle(dir, "en/empty.md", articleFrontMatter("empty-body"), "   ");
    writeArticle(dir, "en/no-title.md", { ...articleFrontMatter("no-title"), title: "" }, "Body.");
    fs.writeFileSync(path.join(dir, "en/no-front-matter.md"), "# Just a heading\n\nText.\n");
    writeArticle(dir, "en/new.md", articleFrontMatter("new-article"), "A good new article.");

    const summary = await run();
    expect(summary).toMatchObject({ added: 1, unchanged: 4, failed: 6 });
    const reasons = Object.fromEntries(summary.failures.map((f) => [f.file, f.reason]));
    expect(reasons["en/broken-yaml.md"]).toMatch(/invalid front matter/);
    expect(reasons["en/audience.md"]).toMatch(/audience must be one of: public, internal/);
    expect(reasons["en/duplicate.md"]).toMatch(/duplicate slug "refund-policy" \(also in en\/refund\.md\)/);
    expect(reasons["en/empty.md"]).toBe("empty body");
    expect(reasons["en/no-title.md"]).toMatch(/title/);
    expect(reasons["en/no-front-matter.md"]).toMatch(/front matter/);
    expect(store.getBySlug("new-article")).toBeDefined();
    expect(store.getBySlug("refund-policy")?.bodyText).toContain("original payment method");
    expect(store.getBySlug("bad-audience")).toBeUndefined();
  });

  it("refuses a file that is not UTF-8 text (Latin-1, binary junk) instead of storing it garbled", async () => {
    await run();
    const latin1 = `---\nslug: cafe-voucher\ntitle: Caf\u00e9 voucher\ncategory: orders\naudience: public\nlocale: en\nupdated: 2026-10-01\n---\nUse the caf\u00e9 voucher at checkout.\n`;
    fs.writeFileSync(path.join(dir, "en/latin1.md"), Buffer.from(latin1, "latin1"));
    fs.writeFileSync(path.join(dir, "en/junk.md"), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0xff, 0xfe, 0x81, 0x0a, 0x2d, 0x2d, 0x2d, 0x0a, 0xc3, 0x28]));
    fs.writeFileSync(path.join(dir, "en/utf8.md"), `\ufeff${latin1}`.replace("cafe-voucher", "cafe-voucher-utf8"));

    const summary = await run();
    expect(summary).toMatchObject({ added: 1, unchanged: 4, failed: 2 });
    const reasons = Object.fromEntries(summary.failures.map((f) => [f.file, f.reason]));
    expect(reasons["en/latin1.md"]).toBe("not UTF-8 text (invalid byte 0xe9 at offset 33): save the file as UTF-8");
    expect(reasons["en/junk.md"]).toMatch(/^not UTF-8 text \(invalid byte 0xff at offset 5\)/);
    expect(store.getBySlug("cafe-voucher")).toBeUndefined();
    expect(store.getBySlug("cafe-voucher-utf8")?.title).toBe("Caf\u00e9 voucher");
  });

  it("accepts one of two new files with the same slug, deterministically by path", async () => {
    writeArticle(dir, "en/a-copy.md", articleFrontMatter("refund-policy"), "A copy.");
    const summary = await run();
    expect(summary.failures).toEqual([
      { file: "en/refund.md", reason: 'duplicate slug "refund-policy" (also in en/a-copy.md)' },
    ]);
    expect(store.getBySlug("refund-policy")?.sourcePath).toBe("en/a-copy.md");
  });

  it("keeps the stored version when a file turns invalid (no data lost)", async () => {
    await run();
    writeArticle(dir, "en/refund.md", articleFrontMatter("refund-policy", { locale: "fr" }), "Remboursements.");
    const summary = await run(true);
    expect(summary).toMatchObject({ failed: 1, removed: 0 });
    expect(store.getBySlug("refund-policy")?.locale).toBe("en");
    expect(await keywordSlugs("refunds")).toContain("refund-policy");
  });

  it("--prune removes articles whose files are gone, from the store and the index", async () => {
    await run();
    fs.rmSync(path.join(dir, "en/refund.md"));
    expect((await run(false)).removed).toBe(0);
    expect(store.getBySlug("refund-policy")).toBeDefined();

    const summary = await run(true);
    expect(summary).toMatchObject({ removed: 1, unchanged: 3 });
    expect(store.getBySlug("refund-policy")).toBeUndefined();
    expect(await keywordSlugs("refunds")).toEqual([]);
    expect(await engine.count()).toBe(3);
  });

  it("follows a renamed file and a changed slug", async () => {
    await run();
    fs.renameSync(path.join(dir, "en/track.md"), path.join(dir, "en/tracking.md"));
    writeArticle(dir, "en/refund.md", articleFrontMatter("refunds", { title: "Refunds" }), "Refunds explained.");
    const summary = await run(true);
    expect(summary).toMatchObject({ added: 1, updated: 1, removed: 1 });
    expect(store.getBySlug("track-your-order")?.sourcePath).toBe("en/tracking.md");
    expect(store.getBySlug("refund-policy")).toBeUndefined();
    expect(store.getBySlug("refunds")).toBeDefined();
  });

  it("reindexAll rebuilds the keyword index from the store", async () => {
    await run();
    await engine.clear();
    expect(await engine.count()).toBe(0);
    expect(await reindexAll(store, engine)).toBe(4);
    expect(await engine.count()).toBe(4);
    expect(await keywordSlugs("物流没更新")).toEqual(["track-your-order-zh"]);
  });
});

describe("invalidUtf8Offset", () => {
  it("finds the first byte that breaks UTF-8, and agrees with Node's validator", () => {
    expect(invalidUtf8Offset(Buffer.from("plain, 中文, emoji 🙂", "utf8"))).toBe(-1);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong "/"
    expect(invalidUtf8Offset(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
    expect(invalidUtf8Offset(Buffer.from([0x61, 0x62, 0xe4, 0xb8]))).toBe(2); // cut short
    expect(invalidUtf8Offset(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (let n = 0; n < 2000; n++) {
      const bytes = Buffer.from(Array.from({ length: 1 + (n % 9) }, () => (next() & 1 ? 0x80 | (next() & 0x7f) : next())));
      expect(invalidUtf8Offset(bytes) === -1, bytes.toString("hex")).toBe(isUtf8(bytes));
    }
  });
});
