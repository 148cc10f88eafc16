import { afterAll, describe, expect, it } from "vitest";
import { EncoderThread } from "./encoder-thread";
import { loadSentenceEncoder, type SentenceEncoder } from "./sentence-encoder";

const DIR = "model/minilm-l6-en";
const thread = new EncoderThread({ dir: DIR, threads: 1 });
let local: SentenceEncoder | undefined;
afterAll(async () => {
  await thread.close();
  await local?.release();
});

describe("EncoderThread", () => {
  it("embeds on its own thread exactly as the encoder does on this one", async () => {
    local = await loadSentenceEncoder(DIR, { threads: 1 });
    const texts = ["where is my package", "Refunds reach your card within 5 to 10 business days.", ""];
    const [fromThread, here] = await Promise.all([thread.embed(texts, "passage"), local.embed(texts, "passage")]);
    expect(fromThread).toHaveLength(3);
    fromThread.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(local!.dimensions);
      for (let k = 0; k < v.length; k++) expect(v[k]).toBeCloseTo(here[i]![k]!, 5);
    });
  });

  it("keeps this thread free while it works: timers fire during a large job", async () => {
    const texts = Array.from({ length: 48 }, (_, i) => `Document ${i}: ${"Orders ship in two days and tracking updates when the carrier scans the parcel. ".repeat(12)}`);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    await thread.embed(texts, "passage");
    clearInterval(timer);
    const elapsed = performance.now() - started;
    // A job run here would hold the event loop for all of it: no tick at all.
    expect(ticks).toBeGreaterThan(Math.min(10, elapsed / 20));
  });

  it("answers a request for a model that cannot load with the reason", async () => {
    const broken = new EncoderThread({ dir: "model/no-such-model" });
    await expect(broken.embed(["x"])).rejects.toThrow(/no helprank-encoder.json in model\/no-such-model/);
    await broken.close();
  });
});
