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
