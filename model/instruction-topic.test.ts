import { describe, expect, it } from "vitest";
import { instructionTopic } from "./instruction-topic";

describe("instructionTopic", () => {
  it.each([
    ["Prefer articles about spreading the cost over several months", "spreading the cost over several months"],
    ["please prioritise pages that explain return labels first", "explain return labels"],
    ["Put results on delivery status first.", "delivery status"],
    ["the parcel never showed up", "the parcel never showed up"],
    ["优先显示物流状态相关的文章", "优先显示物流状态相关的文章"],
  ])("%s -> %s", (instruction, topic) => {
    expect(instructionTopic(instruction)).toBe(topic);
  });

  it("keeps an instruction that is nothing but ranking words", () => {
    expect(instructionTopic("prefer articles about ")).toBe("prefer articles about");
  });
});
