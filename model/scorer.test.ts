import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrossEncoderScorer, EmbeddingScorer, INSTRUCTION_WEIGHT, loadScorer } from "./scorer";
import { dot } from "./sentence-encoder";

const FIXTURE = fileURLToPath(new URL("./fixtures/tiny-random-cross-encoder", import.meta.url));
const QUERY = "how do I reset my password";
const DOCUMENTS = ["Open Settings > Security to reset your password.", "Returns are accepted within 30 days.", "We ship worldwide."];

describe("EmbeddingScorer", () => {
  let scorer: EmbeddingScorer;
  beforeAll(async () => {
    scorer = await EmbeddingScorer.load();
  });
  afterAll(async () => {
    await scorer?.release();
  });

  it("scores by cosine similarity of the embeddings", async () => {
    expect(scorer.kind).toBe("embedding");
    expect(scorer.modelId).toBe("all-MiniLM-L6-v2-int8");
    const scores = await scorer.score(QUERY, DOCUMENTS);
    const [q] = await scorer.encoder.embed([QUERY], "query");
    const docs = await scorer.encoder.embed(DOCUMENTS, "passage");
    scores.forEach((s, i) => expect(s).toBeCloseTo(dot(q!, docs[i]!), 6));
    expect(scores.indexOf(Math.max(...scores))).toBe(0);
  });

  it("adds 0.25 x cosine(instruction, document) for an instruction", async () => {
    const instruction = "questions about shipping";
    const plain = await scorer.score(QUERY, DOCUMENTS);
    const steered = await scorer.score(QUERY, DOCUMENTS, instruction);
    // The int8 model's vectors depend slightly on what else is in the ONNX batch, so compare with the same batch.
    const [qv, iv] = await scorer.encoder.embed([QUERY, instruction], "query");
    const docs = await scorer.encoder.embed(DOCUMENTS, "passage");
    steered.forEach((s, i) => expect(s).toBeCloseTo(dot(qv!, docs[i]!) + INSTRUCTION_WEIGHT * dot(iv!, docs[i]!), 6));
    steered.forEach((s, i) => expect(Math.abs(s - plain[i]! - INSTRUCTION_WEIGHT * dot(iv!, docs[i]!))).toBeLessThan(0.01));
    expect(await scorer.score(QUERY, DOCUMENTS, "  ")).toEqual(plain);
  });

  it("returns [] for no documents", async () => {
    expect(await scorer.score(QUERY, [])).toEqual([]);
  });
});

describe("CrossEncoderScorer", () => {
  it("scores with the cross-encoder and prefixes an instruction", async () => {
    const scorer = await CrossEncoderScorer.load(FIXTURE);
    try {
      expect(scorer.kind).toBe("cross-encoder");
      expect(scorer.modelId).toBe("tiny-random-cross-encoder");
      expect(await scorer.score(QUERY, DOCUMENTS)).toEqual(await scorer.encoder.score(QUERY, DOCUMENTS));
      expect(await scorer.score(QUERY, DOCUMENTS, "be kind")).toEqual(await scorer.encoder.score(`be kind\n${QUERY}`, DOCUMENTS));
    } finally {
      await scorer.release();
    }
  });
});

describe("loadScorer", () => {
  it("loads both kinds", async () => {
    const embedding = await loadScorer("embedding");
    const cross = await loadScorer("cross-encoder", FIXTURE);
    try {
      expect(embedding.kind).toBe("embedding");
      expect(embedding.modelId).toBe("all-MiniLM-L6-v2-int8");
      expect(cross.kind).toBe("cross-encoder");
    } finally {
      await embedding.release?.();
      await cross.release?.();
    }
  });

  it("needs a directory with model.onnx for a cross-encoder", async () => {
    await expect(loadScorer("cross-encoder")).rejects.toThrow(/needs a model directory/);
    await expect(loadScorer("cross-encoder", fileURLToPath(new URL("./use-lite-en", import.meta.url)))).rejects.toThrow(/no model.onnx/);
  });
});
