import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrossEncoder, segmentIds } from "./cross-encoder";

const FIXTURE = fileURLToPath(new URL("./fixtures/tiny-random-cross-encoder", import.meta.url));
const reference = JSON.parse(fs.readFileSync(path.join(FIXTURE, "reference.json"), "utf8")) as {
  pairs: [string, string][];
  input_ids: number[];
  token_type_ids: number[];
  logits: number[];
};

const QUERY = "where is my order";
const DOCUMENTS = [
  "ok",
  "tracking updates take 48 hours",
  "you can return an item within 30 days of delivery for a full refund",
  "refund ".repeat(40),
  "",
  "to reset your password open settings, choose security and follow the link we email you",
  "shipping is free on orders over 50 dollars and usually takes three to five business days to arrive",
  "order ".repeat(120),
  "cancel",
  "the invoice for your subscription is available in the billing section of your account page " +
    "and can be downloaded as a pdf at any time",
  "where is my order",
];

describe("CrossEncoder (tiny random fixture)", () => {
  let encoder: CrossEncoder;
  let smallBatches: CrossEncoder;

  beforeAll(async () => {
    encoder = await CrossEncoder.load(FIXTURE);
    smallBatches = await CrossEncoder.load(FIXTURE, { batchSize: 3 });
  });
  afterAll(async () => {
    await encoder?.release();
    await smallBatches?.release();
  });

  it("exposes its id and max length", () => {
    expect(encoder.id).toBe("tiny-random-cross-encoder");
    expect(encoder.maxLength).toBe(256);
    expect(encoder.batchSize).toBe(16);
  });

  it("tokenises the reference pair exactly as transformers does", () => {
    const [query, document] = reference.pairs[0]!;
    const pair = encoder.encodePair(query, document);
    expect(pair.ids).toEqual(reference.input_ids);
    expect(pair.typeIds).toEqual(reference.token_type_ids);
  });

  it("reproduces the reference logit", async () => {
    const [query, document] = reference.pairs[0]!;
    const [score] = await encoder.score(query, [document]);
    expect(Math.abs(score! - 0.0193113)).toBeLessThan(1e-6);
    expect(Math.abs(score! - reference.logits[0]!)).toBeLessThan(1e-6);
  });

  it("gives the same scores batched as one by one, in input order", async () => {
    const batched = await encoder.score(QUERY, DOCUMENTS);
    const inSmallBatches = await smallBatches.score(QUERY, DOCUMENTS);
    const oneByOne: number[] = [];
    for (const doc of DOCUMENTS) oneByOne.push((await encoder.score(QUERY, [doc]))[0]!);
    expect(batched).toHaveLength(DOCUMENTS.length);
    batched.forEach((score, i) => {
      expect(Number.isFinite(score)).toBe(true);
      expect(Math.abs(score - oneByOne[i]!)).toBeLessThan(1e-5);
      expect(Math.abs(inSmallBatches[i]! - oneByOne[i]!)).toBeLessThan(1e-5);
    });
    // The reference pair sits among the others and keeps its own score.
    const [refScore] = await encoder.score(reference.pairs[0]![0], ["tracking updates take 48 hours"]);
    expect(Math.abs(batched[1]! - refScore!)).toBeLessThan(1e-5);
  });

  it("truncates a very long document to maxLength, keeping the final [SEP]", async () => {
    const long = "order ".repeat(1000); // "order" is one token
    const pair = encoder.encodePair(QUERY, long);
    expect(pair.ids).toHaveLength(256);
    expect(pair.ids[0]).toBe(2); // [CLS]
    expect(pair.ids.at(-1)).toBe(3); // [SEP]
    expect(pair.ids.filter((id) => id === 3)).toHaveLength(2);
    expect(pair.typeIds.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(pair.typeIds.slice(6).every((t) => t === 1)).toBe(true);

    // [CLS] + 4 query tokens + [SEP] + 249 document tokens + [SEP] = 256
    const explicit = "order ".repeat(249);
    expect(encoder.encodePair(QUERY, explicit).ids).toEqual(pair.ids);
    const [truncated, manual] = await encoder.score(QUERY, [long, explicit]);
    expect(Number.isFinite(truncated)).toBe(true);
    expect(Math.abs(truncated! - manual!)).toBeLessThan(1e-5);
  });

  it("cuts an over-long query to half the budget when the document is long too", () => {
    const longQuery = "where ".repeat(400);
    const pair = encoder.encodePair(longQuery, "order ".repeat(400));
    expect(pair.ids).toHaveLength(256);
    const firstSep = pair.ids.indexOf(3);
    expect(firstSep - 1).toBe(126); // floor((256 - 3) / 2) query tokens
    expect(pair.ids.at(-1)).toBe(3);

    // A short document is kept whole; the query takes the rest.
    const short = encoder.encodePair(longQuery, "tracking updates take 48 hours");
    expect(short.ids).toHaveLength(256);
    expect(short.ids.slice(-8)).toEqual(reference.input_ids.slice(-8));
  });

  it("scores a very long query and document without error", async () => {
    const [score] = await encoder.score("password ".repeat(3000), ["reset ".repeat(3000)]);
    expect(Number.isFinite(score)).toBe(true);
  });

  it("returns [] for no documents", async () => {
    expect(await encoder.score(QUERY, [])).toEqual([]);
  });

  it("honours a smaller maxLength option", async () => {
    const short = await CrossEncoder.load(FIXTURE, { maxLength: 16 });
    try {
      expect(short.maxLength).toBe(16);
      expect(short.encodePair(QUERY, "order ".repeat(100)).ids).toHaveLength(16);
      const [score] = await short.score(QUERY, ["order ".repeat(100)]);
      expect(Number.isFinite(score)).toBe(true);
    } finally {
      await short.release();
    }
  });
});

describe("CrossEncoder edge cases", () => {
  it("encodes an empty document as [CLS] query [SEP] [SEP]", async () => {
    const encoder = await CrossEncoder.load(FIXTURE);
    try {
      const pair = encoder.encodePair(QUERY, "");
      expect(pair.ids).toEqual([2, 249, 241, 114, 161, 3, 3]);
      expect(pair.typeIds).toEqual([0, 0, 0, 0, 0, 0, 1]);
    } finally {
      await encoder.release();
    }
  });
});

describe("segmentIds", () => {
  it("is 0 up to and including the first separator, 1 after", () => {
    expect(segmentIds(reference.input_ids, 3)).toEqual(reference.token_type_ids);
    expect(segmentIds([2, 5, 6], 3)).toEqual([0, 0, 0]);
    expect(segmentIds([2, 5, 3], undefined)).toEqual([0, 0, 0]);
  });
});
