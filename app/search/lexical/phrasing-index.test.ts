import { describe, expect, it } from "vitest";
import type { Article } from "~/articles/article-schema";
import { PhrasingIndex, phrasingTerms } from "./phrasing-index";

type Indexed = Pick<Article, "slug" | "title" | "questions" | "audience" | "locale" | "category">;
const article = (slug: string, title: string, questions: string[], extra: Partial<Indexed> = {}): Indexed => ({
  slug, title, questions, audience: "public", locale: "en", category: "orders", ...extra,
});

const index = PhrasingIndex.build([
  article("cancel-an-order", "Cancel an order", ["How do I cancel my order?", "Can I stop an order before it ships?"]),
  article("refund-policy", "Refund policy", ["When can I get my money back?", "Which items can be refunded?"], { category: "refunds" }),
  article("request-a-refund", "Request a refund", ["How do I ask for a refund?"], { category: "refunds" }),
  article("escalations", "Escalate a refund", ["Refund escalation for agents"], { audience: "internal", category: "refunds" }),
  article("track-zh", "查询订单物流", ["我的包裹在哪里"], { locale: "zh" }),
]);
const everyone = { audiences: ["public", "internal"] as const };

describe("phrasingTerms", () => {
  it("drops stop words and stems what is left", () => {
    expect(phrasingTerms("Cancelling my orders, please")).toEqual(["cancel", "order"]);
  });
});

describe("PhrasingIndex", () => {
  it("scores an article by its closest phrasing and says which one", () => {
    const match = index.score("how can I stop my order before it is shipped").get("cancel-an-order");
    expect(match?.phrasing).toBe("Can I stop an order before it ships?");
    expect(match?.score).toBeGreaterThan(0.9);
    expect(match?.score).toBeLessThanOrEqual(1);
  });

  it("prefers the article whose phrasing the query covers over one that only shares a word", () => {
    const top = index.score("when do I get my money back").top(everyone, 5);
    expect(top[0]?.slug).toBe("refund-policy");
    expect(top[0]?.phrasing).toBe("When can I get my money back?");
  });

  it("gives no match to articles that share no word with the query", () => {
    const scores = index.score("cancelled orders");
    expect(scores.get("cancel-an-order")?.score).toBeGreaterThan(0);
    expect(scores.get("refund-policy")).toBeUndefined();
    expect(index.score("zebra crossing").top(everyone, 5)).toEqual([]);
  });

  it("keeps to the audiences, locale and category a request may see", () => {
    const publicOnly = index.score("refund escalation").top({ audiences: ["public"] }, 10).map((m) => m.slug);
    expect(publicOnly).not.toContain("escalations");
    expect(publicOnly).toContain("request-a-refund");
    expect(index.score("refund escalation").top(everyone, 10).map((m) => m.slug)[0]).toBe("escalations");
    expect(index.score("cancel refund").top({ audiences: ["public"], category: "refunds" }, 10).map((m) => m.slug)).not.toContain("cancel-an-order");
    expect(index.score("我的包裹").top({ audiences: ["public"], locale: "zh" }, 10).map((m) => m.slug)).toEqual(["track-zh"]);
  });

  it("indexes the title and every question", () => {
    expect(index.size).toBe(5 + 7);
  });
});
