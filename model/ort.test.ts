import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadSentenceEncoder } from "./sentence-encoder";

const MINILM = fileURLToPath(new URL("./minilm-l6-en", import.meta.url));

/** CPU this process uses while it encodes a query every 10 ms and otherwise waits. */
async function cpuWhileMostlyWaiting(spinning: boolean | undefined): Promise<{ cpuMs: number; wallMs: number }> {
  const encoder = await loadSentenceEncoder(MINILM, { threads: 2, ...(spinning === undefined ? {} : { spinning }) });
  await encoder.embed(["warm up the encoder"], "query");
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < 20; i++) {
    await encoder.embed([`where is my order ${i}`], "query");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - started };
}

describe("onnxruntime sessions", () => {
  it("do not keep a core busy between runs: operator threads sleep instead of spinning", async () => {
    const quiet = await cpuWhileMostlyWaiting(undefined);
    // Twenty short encodes in ~250 ms of mostly waiting: a spinning second thread would burn
    // about as much CPU as the whole wall time (measured 270 ms of CPU in 235 ms; quiet: 42 ms).
    expect(quiet.cpuMs).toBeLessThan(quiet.wallMs * 0.6);
    const spinning = await cpuWhileMostlyWaiting(true);
    expect(spinning.cpuMs).toBeGreaterThan(quiet.cpuMs);
  });
});
