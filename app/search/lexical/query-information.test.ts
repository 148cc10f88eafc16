import { describe, expect, it } from "vitest";
import { QueryInformation } from "./query-information";

const article = (slug: string, title: string, bodyText: string) => ({ slug, title, tags: [], questions: [], bodyText });

describe("QueryInformation", () => {
  const info = QueryInformation.build([
    article("track-your-order", "Track your order", "Follow your order and package with the tracking link."),
    article("cancel-an-order", "Cancel an order", "Cancel your order before it ships."),
    article("restocking-fees", "Restocking fees", "Some returned orders carry a restocking fee."),
  ]);

  it("reads a query's content words, stemmed, once each, without bare numbers", () => {
    expect(info.terms("Where is my order 113542617735902? My ORDERS!")).toEqual(["order"]);
  });

  it("counts a word that every article has as saying less than a rare one, and an unknown word as the most specific", () => {
    expect(info.idf("order")).toBeLessThan(info.idf("restock"));
    expect(info.idf("zeppelin")).toBeGreaterThan(info.idf("restock"));
    expect(info.information(info.terms("restocking order"))).toBeCloseTo(info.idf("restock") + info.idf("order"));
    expect(info.information([])).toBe(0);
  });

  it("weighs how much of the query an article contains by each word's information", () => {
    const terms = info.terms("restocking fee on an order");
    expect(info.coverage(terms, "restocking-fees")).toBe(1);
    const partial = info.coverage(terms, "cancel-an-order");
    expect(partial).toBeCloseTo(info.idf("order") / info.information(terms));
    expect(info.coverage(terms, "unknown-article")).toBe(0);
    expect(info.coverage([], "cancel-an-order")).toBe(1);
    const measured = info.measure("restocking fee on an order");
    expect(measured.information).toBeCloseTo(info.information(terms));
    expect(measured.coverage("cancel-an-order")).toBeCloseTo(partial);
  });
});
