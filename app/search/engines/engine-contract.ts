import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IndexDocument, KeywordQuery, SearchEngine } from "./engine";

/** Documents every engine is tested with (kept small and independent of the seed corpus). */
export const CONTRACT_DOCUMENTS: IndexDocument[] = [
  doc("track-your-order", "Track your order", ["tracking", "where is my order"], "See where your parcel is. We email a tracking number when the order ships.", { questions: ["how can I follow my shipment"] }),
  doc("delivery-times", "How long does delivery take?", ["delivery time", "arrival"], "Standard delivery takes 3 to 5 business days. Express delivery takes 1 to 2 days."),
  doc("refund-policy", "Refund policy", ["money back"], "A refund goes back to the original payment method within 5 days.", { category: "returns-refunds" }),
  doc("tracking-in-body", "Carrier scans", ["carrier"], "Scans show tracking progress once the carrier collects the box."),
  doc("unsafe-body", "Gift cards", ["gift card"], "Gift cards <script>alert('x')</script> never expire & work online.", { category: "payments" }),
  doc("escalation-matrix", "Escalation matrix", ["escalation", "tracking"], "Internal: escalate tracking disputes to Tier 2.", { audience: "internal", category: "agent-procedures" }),
  doc("track-your-order-zh", "查询订单物流", ["物流", "快递到哪了"], "如果物流信息长时间没有更新，请先等待二十四小时，再联系客服。", { locale: "zh" }),
  doc("refund-policy-zh", "退款政策", ["退款"], "退款会退回到原付款方式。", { locale: "zh", category: "returns-refunds" }),
  ...Array.from({ length: 12 }, (_, i) =>
    doc(`laptop-guide-${i}`, `Laptop guide ${i}`, ["laptop"], `Choosing a laptop, part ${i}: battery, screen and weight.`, { category: "laptops" }),
  ),
];

function doc(
  slug: string,
  title: string,
  tags: string[],
  body: string,
  extra: Partial<IndexDocument> = {},
): IndexDocument {
  return { slug, title, tags, questions: [], body, category: "orders", audience: "public", locale: "en", updated: "2026-10-01", ...extra };
}

const publicOnly = ["public"] as const;

/**
 * One behavioural contract for every keyword engine. `makeEngine` returns a ready engine over an
 * empty index (or null with a reason, to skip).
 */
export function describeEngineContract(name: string, makeEngine: () => Promise<SearchEngine>, teardown?: () => Promise<void>) {
  describe(`SearchEngine contract: ${name}`, () => {
    let engine: SearchEngine;
    const search = (text: string, extra: Partial<KeywordQuery> = {}) =>
      engine.search({ text, audiences: publicOnly, limit: 10, offset: 0, ...extra });
    const slugs = async (text: string, extra: Partial<KeywordQuery> = {}) => (await search(text, extra)).hits.map((h) => h.slug);

    beforeAll(async () => {
      engine = await makeEngine();
    });
    beforeEach(async () => {
      await engine.clear();
      await engine.index(CONTRACT_DOCUMENTS);
    });
    if (teardown) afterAll(teardown);

    it("counts indexed documents and replaces a document indexed twice", async () => {
      expect(await engine.count()).toBe(CONTRACT_DOCUMENTS.length);
      await engine.index([{ ...CONTRACT_DOCUMENTS[2]!, body: "Refunds now arrive as store credit." }]);
      expect(await engine.count()).toBe(CONTRACT_DOCUMENTS.length);
      expect(await slugs("store credit")).toContain("refund-policy");
    });

    it("ranks a title match above a body-only match", async () => {
      const hits = await slugs("tracking", { locale: "en" });
      expect(hits[0]).toBe("track-your-order");
      expect(hits).toContain("tracking-in-body");
    });

    it("searches the questions written for an article", async () => {
      expect(await slugs("follow shipment")).toEqual(["track-your-order"]);
    });

    it("finds words through their other forms (refunds -> refund)", async () => {
      expect(await slugs("refunds")).toContain("refund-policy");
    });

    it("matches the last word as a prefix (search as you type)", async () => {
      expect(await slugs("deliv")).toContain("delivery-times");
    });

    it("never returns an audience that was not asked for", async () => {
      expect(await slugs("escalation tracking")).not.toContain("escalation-matrix");
      const both = await slugs("escalation", { audiences: ["public", "internal"] });
      expect(both).toContain("escalation-matrix");
    });

    it("filters by locale and category", async () => {
      expect(await slugs("refund", { locale: "en" })).toEqual(["refund-policy"]);
      const inCategory = await slugs("laptop", { category: "laptops", limit: 20 });
      expect(inCategory.length).toBe(12);
      expect(await slugs("tracking", { category: "payments" })).toEqual([]);
    });

    it("finds Chinese articles with Chinese queries", async () => {
      expect((await slugs("物流没更新"))[0]).toBe("track-your-order-zh");
      expect((await slugs("退款", { locale: "zh" }))[0]).toBe("refund-policy-zh");
    });

    it("returns HTML-safe highlighted titles and snippets for the hits asked about", async () => {
      const result = await search("tracking", { locale: "en" });
      const [hit] = result.hits;
      expect(hit?.title).toBe("Track your order");
      const marks = await result.marks([hit!.slug, "not-a-hit"]);
      expect([...marks.keys()]).toEqual([hit!.slug]);
      expect(marks.get(hit!.slug)?.titleHtml).toContain("<mark>Track");
      expect(marks.get(hit!.slug)?.snippetHtml).toMatch(/<mark>tracking<\/mark>/i);
      const giftResult = await search("gift cards expire");
      const [gift] = giftResult.hits;
      expect(gift?.slug).toBe("unsafe-body");
      const snippet = (await giftResult.marks(["unsafe-body"])).get("unsafe-body")!.snippetHtml;
      expect(snippet).toContain("<mark>");
      expect(snippet).not.toContain("<script");
      expect(snippet.replace(/<\/?mark>/g, "")).not.toMatch(/<(?!\/?mark>)/);
    });

    it("pages with limit and offset and reports the total", async () => {
      const first = await search("laptop", { limit: 5 });
      const second = await search("laptop", { limit: 5, offset: 5 });
      expect(first.total).toBe(12);
      expect(first.hits).toHaveLength(5);
      expect(second.hits[0]?.rank).toBe(6);
      const overlap = first.hits.filter((h) => second.hits.some((s) => s.slug === h.slug));
      expect(overlap).toEqual([]);
      expect(first.hits.map((h) => h.score)).toEqual([...first.hits.map((h) => h.score)].sort((a, b) => b - a));
    });

    it("treats query syntax as plain text", async () => {
      for (const text of ['"unbalanced', "AND OR NOT", "track* (order) NEAR:", "title:refund", "-refund ^"]) {
        await expect(search(text)).resolves.toBeDefined();
      }
      expect(await slugs("title:refund")).toContain("refund-policy");
    });

    it("removes documents", async () => {
      await engine.remove(["refund-policy", "refund-policy-zh"]);
      expect(await slugs("refund")).toEqual([]);
      expect(await engine.count()).toBe(CONTRACT_DOCUMENTS.length - 2);
    });
  });
}
