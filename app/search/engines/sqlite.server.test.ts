import { describe, expect, it } from "vitest";
import { createTempDb } from "~/test/temp-db";
import { describeEngineContract } from "./engine-contract";
import { SqliteEngine, toFtsQuery } from "./sqlite.server";

let cleanup: (() => void) | undefined;

describeEngineContract(
  "sqlite (FTS5, real database file)",
  async () => {
    const temp = createTempDb();
    cleanup = temp.cleanup;
    return new SqliteEngine(temp.db);
  },
  async () => cleanup?.(),
);

describe("toFtsQuery", () => {
  it("quotes terms, drops stop words, ORs terms and adds phrases", () => {
    expect(toFtsQuery("where is my package")).toBe('"package"* OR "my package" OR "where is my package"');
  });

  it("segments Chinese and does not prefix-match it", () => {
    expect(toFtsQuery("物流没更新")).toBe('"物流" OR "没" OR "更新"');
  });

  it("strips syntax characters and returns nothing for a query without words", () => {
    expect(toFtsQuery('say "refund')).toBe('"say" OR "refund"* OR "say refund"');
    expect(toFtsQuery("?!* ()")).toBeUndefined();
  });
});

describe("SqliteEngine field scoring", () => {
  const base = { tags: [] as string[], questions: [] as string[], category: "warranty-repairs", audience: "public" as const, locale: "en" as const, updated: "2026-10-01" };

  it("scores each field on its own length: a title match is not diluted by a long body", async () => {
    const temp = createTempDb();
    try {
      const engine = new SqliteEngine(temp.db);
      const filler = Array.from({ length: 400 }, (_, i) => `sentence ${i} about screens batteries cables and chargers.`).join(" ");
      await engine.index([
        { ...base, slug: "warranty-guide", title: "Warranty claims", body: `${filler} Send the form.` },
        { ...base, slug: "repair-notes", title: "Repair notes", tags: ["warranty", "claims"], body: "Repairs take a week." },
      ]);
      const result = await engine.search({ text: "warranty claims", audiences: ["public"], limit: 10, offset: 0 });
      expect(result.hits.map((h) => h.slug)).toEqual(["warranty-guide", "repair-notes"]);
      expect((await result.marks(["warranty-guide"])).get("warranty-guide")?.titleHtml).toBe("<mark>Warranty claims</mark>");
    } finally {
      temp.cleanup();
    }
  });

  it("keeps the per-field tables in step on re-index, remove and clear", async () => {
    const temp = createTempDb();
    try {
      const engine = new SqliteEngine(temp.db);
      const doc = { ...base, slug: "warranty-guide", title: "Warranty claims", body: "Send the form." };
      await engine.index([doc]);
      await engine.index([{ ...doc, title: "Repair claims" }]);
      const rows = (table: string) => temp.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
      expect(rows("articles_fts_title")).toBe(1);
      expect((await engine.search({ text: "warranty", audiences: ["public"], limit: 10, offset: 0 })).total).toBe(0);
      await engine.remove(["warranty-guide"]);
      for (const table of ["articles_fts", "articles_fts_title", "articles_fts_tags", "articles_fts_questions", "articles_fts_body"]) expect(rows(table)).toBe(0);
    } finally {
      temp.cleanup();
    }
  });
});
