import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededApp } from "~/test/seeded-app";
import { evaluateCompliance, parseSteeringCases } from "~/eval/compliance";
import type { SearchRequest } from "~/search/search-request";

// The seeded presets over the whole seed corpus, through the real pipeline and encoder: a preset
// decides what a short query leaves open and leaves a clear question to the query (decision 007).
const app = seededApp("steering");

async function run(q: string, extra: Partial<SearchRequest> = {}) {
  const { getServices } = await import("~/services.server");
  const { search } = await import("~/search/pipeline.server");
  const services = await getServices();
  const surface = extra.surface ?? "help";
  return search(services.searchDeps(), { q, surface, limit: 10, offset: 0, ...extra }, "full", { internal: surface === "agent" });
}

beforeAll(() => app.setUp());
afterAll(() => app.tearDown());

describe("preset steering", () => {
  it("decides a query that says little: the preset's kind of article comes first, fully steered", async () => {
    const plain = await run("shipping");
    expect(plain.results[0]?.slug).toBe("shipping-and-delivery-guide");
    const steered = await run("shipping", { preset: "shipping-status-first" });
    expect(steered.instruction).toMatchObject({ preset: "shipping-status-first", steering: 1 });
    const top = steered.results[0]!;
    expect(["track-your-order", "tracking-not-updating", "order-status-meanings", "delivery-delays"]).toContain(top.slug);
    expect(top.explain.boosts).toMatchObject({ gated: false, steering: 1 });
    expect(top.explain.boosts!.contribution).toBeGreaterThan(0.3);
  });

  it("leaves a clear question to the query: a full sentence is steered by a small share and keeps its answer", async () => {
    const q = "how many days does standard delivery usually take to reach my city";
    const plain = await run(q);
    const steered = await run(q, { preset: "shipping-status-first" });
    expect(plain.results[0]?.slug).toBe("delivery-times");
    expect(steered.results[0]?.slug).toBe("delivery-times");
    expect(steered.instruction.steering).toBeLessThan(0.2);
  });

  it("puts the internal procedure first for an agent when one fits, and never on the help surface", async () => {
    const agent = await run("charged twice", { surface: "agent", preset: "agent-internal-first" });
    expect(agent.results[0]?.slug).toBe("duplicate-charge-reversal");
    const plainAgent = await run("charged twice", { surface: "agent" });
    expect(plainAgent.results[0]?.slug).toBe("charged-twice");
    const help = await run("charged twice", { preset: "billing-and-refunds" });
    expect(help.results.every((r) => r.audience === "public")).toBe(true);
  });

  it("applies an article boost to the article's translation too", async () => {
    const steered = await run("配送", { preset: "shipping-status-first" });
    const top = steered.results[0]!;
    expect(["track-your-order-zh", "tracking-not-updating-zh"]).toContain(top.slug);
    expect(top.explain.boosts?.applied.map((b) => b.value)).toEqual([top.slug.replace(/-zh$/, "")]);
    expect(top.explain.boosts!.contribution).toBeGreaterThan(0);
  });

  it("meets 90% on our own preset and instruction cases (seed/eval)", async () => {
    for (const file of ["seed/eval/presets.jsonl", "seed/eval/instructions.jsonl"]) {
      const cases = parseSteeringCases(fs.readFileSync(file, "utf8"), file);
      const report = await evaluateCompliance(cases, async (c) =>
        (await run(c.query, { surface: c.surface, preset: c.preset, instruction: c.instruction, limit: 1 })).results.map((r) => r.slug),
      );
      expect(report.compliance, `${file}: ${report.failures.map((f) => `${f.case.query} -> ${f.top}`).join("; ")}`).toBeGreaterThanOrEqual(0.9);
    }
  }, 120_000);
});
