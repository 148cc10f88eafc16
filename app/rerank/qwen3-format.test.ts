import { describe, expect, it } from "vitest";
import { formatQwen3Document, formatQwen3Query, isQwen3Reranker } from "./qwen3-format";

describe("qwen3-format", () => {
  it("formats the query exactly like vLLM's Qwen3 reranker example", () => {
    expect(formatQwen3Query("How do I reset my password?", "Find the help article that answers the question")).toBe(
      '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n<Instruct>: Find the help article that answers the question\n<Query>: How do I reset my password?\n',
    );
  });

  it("uses the default instruction when none (or a blank one) is given", () => {
    const expected =
      '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n<Instruct>: Given a web search query, retrieve relevant passages that answer the query\n<Query>: What is the capital of China?\n';
    expect(formatQwen3Query("What is the capital of China?")).toBe(expected);
    expect(formatQwen3Query("What is the capital of China?", undefined)).toBe(expected);
    expect(formatQwen3Query("What is the capital of China?", "  ")).toBe(expected);
  });

  it("formats the document with the assistant suffix and an empty think block", () => {
    expect(formatQwen3Document("The capital of China is Beijing.")).toBe(
      "<Document>: The capital of China is Beijing.<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
    );
  });

  it("recognises Qwen3-Reranker model names", () => {
    expect(isQwen3Reranker("Qwen/Qwen3-Reranker-0.6B")).toBe(true);
    expect(isQwen3Reranker("qwen/qwen3-reranker-8b")).toBe(true);
    expect(isQwen3Reranker("tomaarsen/Qwen3-Reranker-0.6B-seq-cls")).toBe(true);
    expect(isQwen3Reranker("BAAI/bge-reranker-v2-m3")).toBe(false);
    expect(isQwen3Reranker("Qwen/Qwen3-Embedding-0.6B")).toBe(false);
  });
});
