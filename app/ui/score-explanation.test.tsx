// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { SearchResultItem } from "~/search/pipeline.server";
import { explanationRows, ScoreExplanation } from "./score-explanation";

afterEach(cleanup);

type Explain = SearchResultItem["explain"];

const term = (value: number, weight: number) => ({ score: value, value, weight, contribution: value * weight });

const FULL: Explain = {
  keyword: { ...term(0.8, 0.05), rank: 2 },
  semantic: { ...term(0.62, 1), best: { kind: "title", position: 0 } },
  phrasing: { ...term(0.5, 0.1), matched: "where is my parcel" },
  rerank: term(0.9, 1),
  instruction: { ...term(0.4, 0.15), steering: 1, gated: false },
  request_instruction: term(0, 0),
  boosts: { contribution: 0.25, applied: [{ kind: "category", value: "shipping-delivery", weight: 0.5, contribution: 0.25 }], steering: 1, gated: false },
  freshness: { contribution: 0.02, age_days: 10, decay: 0.8, weight: 0.025, steering: 1, gated: false },
  clicks: { contribution: 0.058, value: 0.58, weight: 0.1, clicks: 9, impressions: 20, expected: 3.4, gated: false },
};

describe("explanationRows", () => {
  it("lists matched signals first, then preset boosts and freshness, and leaves out unweighted terms", () => {
    const rows = explanationRows(FULL);
    expect(rows.map((r) => r.label)).toEqual([
      "Keyword",
      "Meaning",
      "Customer phrasing",
      "Reranker",
      "Preset instruction",
      "Boost: category shipping-delivery",
      "Freshness",
      "Clicks",
    ]);
    expect(rows[1]!).toMatchObject({ contribution: 0.62, detail: "0.62 × 1" });
    expect(rows[5]!).toMatchObject({ contribution: 0.25, detail: "+0.5", inactive: false });
    expect(rows[6]!.detail).toBe("10 days old: 0.80 × 0.025");
    expect(rows[7]!).toMatchObject({ contribution: 0.058, detail: "9 of 20 views clicked (3.4 expected at their positions): 0.58 × 0.1" });
  });

  it("says when a boost did not count because the article was not relevant enough", () => {
    const rows = explanationRows({ ...FULL, boosts: { ...FULL.boosts!, contribution: 0, gated: "score" } });
    const boost = rows.find((r) => r.key.startsWith("boost:"))!;
    expect(boost.inactive).toBe(true);
    expect(boost.detail).toMatch(/not applied: the article is not relevant enough/);
  });

  it("says when a preset term did not count because the article has less of the query than the best match", () => {
    const rows = explanationRows({ ...FULL, instruction: { ...FULL.instruction!, contribution: 0, gated: "coverage" } });
    const instruction = rows.find((r) => r.key === "instruction")!;
    expect(instruction).toMatchObject({ contribution: 0, inactive: true });
    expect(instruction.detail).toMatch(/less of the query's words than the best match/);
  });

  it("shows how much the preset steered a query that says a lot", () => {
    const rows = explanationRows({ ...FULL, boosts: { ...FULL.boosts!, contribution: 0.0625, steering: 0.125 } });
    expect(rows.find((r) => r.key.startsWith("boost:"))!.detail).toBe("+0.5 × steering 0.13");
  });

  it("shows a keyword-only result (reranker fell back) as one row", () => {
    expect(explanationRows({ keyword: { ...term(1, 1), rank: 1 } }).map((r) => r.label)).toEqual(["Keyword"]);
  });
});

describe("ScoreExplanation", () => {
  it("opens on request and reads as a table: one row per part, contribution and how it was computed, then the score", async () => {
    render(<ScoreExplanation explain={FULL} score={1.8245} />);
    const details = screen.getByTestId("why-this-result") as HTMLDetailsElement;
    expect(details.open).toBe(false);
    await userEvent.click(screen.getByText("Why this result?"));
    expect(details.open).toBe(true);

    const table = within(details).getByRole("table");
    const meaning = within(table).getByRole("rowheader", { name: "Meaning" }).closest("tr")!;
    expect(meaning.textContent).toContain("+0.620");
    expect(meaning.textContent).toContain("0.62 × 1");
    const total = within(table).getByRole("rowheader", { name: "Score" }).closest("tr")!;
    expect(total.textContent).toContain("1.825");
    expect(details.textContent).toContain("Closest customer question: “where is my parcel”");
  });

  it("sizes each bar by its share of the largest part and colours negative parts differently", () => {
    const explain: Explain = {
      keyword: { ...term(0.2, 1), rank: 1 },
      semantic: { ...term(0.8, 1), best: { kind: "body", position: 1 } },
      boosts: { contribution: -0.4, applied: [{ kind: "tag", value: "refunds", weight: -0.5, contribution: -0.4 }], steering: 1, gated: false },
    };
    render(<ScoreExplanation explain={explain} score={0.6} open />);
    const bar = (label: string) => screen.getByRole("rowheader", { name: label }).closest("tr")!.querySelector("td span") as HTMLElement;
    expect(bar("Meaning").style.width).toBe("100%");
    expect(bar("Keyword").style.width).toBe("25%");
    expect(bar("Boost: tag refunds").style.width).toBe("50%");
    expect(bar("Boost: tag refunds").className).toContain("bg-rose-500");
    expect(screen.getByRole("rowheader", { name: "Boost: tag refunds" }).closest("tr")!.textContent).toContain("−0.400");
  });

  it("strikes through a gated boost", () => {
    render(<ScoreExplanation explain={{ ...FULL, boosts: { ...FULL.boosts!, gated: "score" } }} score={1} open />);
    const row = screen.getByRole("rowheader", { name: "Boost: category shipping-delivery" }).closest("tr")!;
    expect(row.className).toContain("line-through");
  });
});
