import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importArticles } from "~/articles/import.server";
import { ArticleStore } from "~/articles/store.server";
import { articleFrontMatter, createTempDb, writeArticle } from "~/test/temp-db";
import { scheduleKeywordIndexSync, syncKeywordIndex } from "./keyword-sync.server";
import { SqliteEngine } from "./sqlite.server";

describe("keyword index sync (real SQLite file)", () => {
  let temp: ReturnType<typeof createTempDb>;
  let store: ArticleStore;
  let engine: SqliteEngine;

  beforeEach(async () => {
    temp = createTempDb();
    const dir = path.join(temp.dir, "articles");
    writeArticle(dir, "en/track.md", articleFrontMatter("track-your-order", { title: "Track your order" }), "See where your parcel is.");
    writeArticle(dir, "en/refund.md", articleFrontMatter("refund-policy", { title: "Refund policy", category: "returns-refunds" }), "Refunds go to the original payment method.");
    store = new ArticleStore(temp.db);
    engine = new SqliteEngine(temp.db);
    await importArticles({ dir, store, engine });
  });
  afterEach(() => temp.cleanup());

  it("reindexes an engine that lost its documents from the store, and leaves a complete one alone", async () => {
    await engine.clear();
    expect(await engine.count()).toBe(0);
    const log: string[] = [];
    expect(await syncKeywordIndex({ store, engine }, (line) => log.push(line))).toBe(true);
    expect(await engine.count()).toBe(2);
    expect((await engine.search({ text: "parcel", audiences: ["public"], limit: 5, offset: 0 })).hits.map((h) => h.slug)).toEqual(["track-your-order"]);
    expect(log).toEqual(["The sqlite index is out of step with the store: reindexing …", "Reindexed 2 articles."]);
    expect(await syncKeywordIndex({ store, engine })).toBe(false);
  });

  it("schedules nothing for SQLite, whose index shares the store's transactions", () => {
    expect(scheduleKeywordIndexSync({ store, engine })).toBeUndefined();
  });
});
