import { describe, expect, it } from "vitest";
import type { Article } from "~/articles/article-schema";
import { SpellingCorrector } from "./spelling.server";

type Source = Parameters<typeof SpellingCorrector.fromArticles>[0][number];
const article = (text: string, extra: Partial<Pick<Article, "audience" | "locale">> = {}): Source => ({
  title: text, tags: [], questions: [], bodyText: "", audience: "public", locale: "en", ...extra,
});

const corrector = SpellingCorrector.fromArticles([
  article("Shipping options and delivery times for your package"),
  article("Request a refund for an order; track your refund"),
  article("Update your account details and subscription preferences"),
  article("Waiting for a delivery? Rate our service: rating, rating, rating"),
  article("Confidential escalation codeword zanzibarian", { audience: "internal" }),
  article("退款政策", { locale: "zh" }),
]);

describe("SpellingCorrector", () => {
  it("fixes a typo against the articles' words and reports it", () => {
    expect(corrector.correct("shippinh to Toronto")).toEqual({
      text: "shipping to Toronto",
      corrections: [{ from: "shippinh", to: "shipping" }],
    });
    expect(corrector.correct("where is my refnud").text).toBe("where is my refund");
  });

  it("at one typo prefers a word of the articles, then a dictionary word; keeps the first letter", () => {
    expect(corrector.correct("did not recieve it").text).toBe("did not receive it");
    expect(corrector.correct("wating").text).toBe("waiting"); // not the more frequent "rating"
    expect(corrector.correct("delivry").text).toBe("delivery");
  });

  it("allows two typos only in long words", () => {
    expect(corrector.correct("subscriptoin").text).toBe("subscription");
    expect(corrector.correct("subscrpitoin").text).toBe("subscription"); // two edits, 12 letters
    expect(corrector.correct("pakcgae").text).toBe("pakcgae"); // two edits in 7 letters: too far
  });

  it("leaves alone words the articles use, dictionary words, short words and names", () => {
    for (const query of ["track my package", "restitution for a bride", "refd", "bill from Anna Freeman", "bills from Mr. Jones"]) {
      expect(corrector.correct(query)).toEqual({ text: query, corrections: [] });
    }
  });

  it("corrects a capitalised word at the start of a sentence but not an acronym", () => {
    expect(corrector.correct("Shippinh costs? Refnud please").corrections.map((c) => c.to)).toEqual(["shipping", "refund"]);
    expect(corrector.correct("Shippinh costs for Refnud").corrections.map((c) => c.to)).toEqual(["shipping"]);
    expect(corrector.correct("UPDTAE").text).toBe("UPDTAE");
  });

  it("knows the words of written phrasings but never suggests them", () => {
    const withPhrasings = SpellingCorrector.fromArticles([{ ...article("Reset your password"), questions: ["forgot pasword"] }]);
    expect(withPhrasings.correct("pasword").text).toBe("pasword");
    expect(withPhrasings.correct("paswordz").text).toBe("paswordz"); // one edit from "pasword" only
    expect(withPhrasings.correct("passwrod").text).toBe("password");
  });

  it("never suggests a word that only internal articles use", () => {
    expect(corrector.correct("zanzibarien").text).toBe("zanzibarien");
  });

  it("leaves Chinese queries as they are", () => {
    expect(corrector.correct("退款 shippinh")).toEqual({ text: "退款 shippinh", corrections: [] });
  });
});
