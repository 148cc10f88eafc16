import { describe, expect, it } from "vitest";
import { buildPassages, chunkText, MAX_PASSAGE_UNITS, textUnits } from "./passages";

describe("passages", () => {
  it("counts words, and two Han characters as one unit", () => {
    expect(textUnits("where is my package")).toBe(4);
    expect(textUnits("物流没有更新")).toBe(3);
  });

  it("keeps short sections whole and bounds long ones", () => {
    const sentence = "Your order ships within one business day and tracking follows by email.";
    const long = Array.from({ length: 60 }, () => sentence).join(" ");
    const chunks = chunkText(long);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(textUnits(chunk)).toBeLessThanOrEqual(MAX_PASSAGE_UNITS);
    expect(chunks.join(" ").split(/\s+/).length).toBe(long.split(/\s+/).length);
    expect(chunkText("Short text.")).toEqual(["Short text."]);
  });

  it("bounds Chinese text without spaces", () => {
    const chunks = chunkText("物流信息没有更新".repeat(80));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(textUnits(chunk)).toBeLessThanOrEqual(MAX_PASSAGE_UNITS);
  });

  it("numbers passages across sections and hashes their content", () => {
    const passages = buildPassages([
      { heading: "", text: "Intro." },
      { heading: "Steps", text: "Do this." },
    ]);
    expect(passages.map((p) => [p.position, p.heading, p.text])).toEqual([
      [0, "", "Intro."],
      [1, "Steps", "Do this."],
    ]);
    expect(passages[0]?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(passages[0]?.contentHash).not.toBe(passages[1]?.contentHash);
  });
});
