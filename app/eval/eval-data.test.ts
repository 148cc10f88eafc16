import { describe, expect, it } from "vitest";
import { EvalDataError, parseJudgmentsJsonl } from "./eval-data";

describe("parseJudgmentsJsonl", () => {
  it("turns graded lines into one eval query per distinct query, grade 2 as the primary article", () => {
    const text = [
      { query: "where is my refund", slug: "track-your-refund", clicks: 40, impressions: 60, grade: 2 },
      { query: "where is my refund", slug: "refund-policy", clicks: 3, impressions: 60, grade: 1 },
      { query: "where is my refund", slug: "gift-cards", clicks: 0, impressions: 60, grade: 0 },
      { query: "nothing clicked here", slug: "gift-cards", clicks: 0, impressions: 9, grade: 0 },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n");
    const { queries, judgments } = parseJudgmentsJsonl(text, "j.jsonl");
    expect(queries).toEqual([{ query: "where is my refund", intent: "where is my refund" }]);
    expect([...judgments.get("where is my refund")!]).toEqual([
      ["track-your-refund", 2],
      ["refund-policy", 1],
    ]);
  });

  it("names the file and line of a bad line", () => {
    expect(() => parseJudgmentsJsonl('{"query":"a","slug":"b","grade":2}\n{"query":"a"}', "j.jsonl")).toThrow(
      new EvalDataError('j.jsonl:2: expected {"query": "...", "slug": "...", "grade": 0|1|2}'),
    );
    expect(() => parseJudgmentsJsonl("nope", "j.jsonl")).toThrow("j.jsonl:1: not valid JSON");
    expect(() => parseJudgmentsJsonl('{"query":"a","slug":"b","grade":0}', "j.jsonl")).toThrow("no query with a clicked article");
  });
});
