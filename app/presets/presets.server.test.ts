import { describe, expect, it } from "vitest";
import { createTempDb } from "~/test/temp-db";
import { BadRequestError } from "~/search/search-request";
import { resolvePreset } from "./active-preset";
import { presetFormSchema, type PresetInput } from "./preset-schema";
import { PresetError, PresetStore, seedPresets } from "./presets.server";

const draft = (over: Partial<PresetInput> = {}): PresetInput => ({
  slug: "shipping-first",
  name: "Shipping first",
  surfaces: ["help", "agent"],
  instruction: "prefer shipping status articles",
  boosts: [{ kind: "category", value: "shipping", weight: 0.5 }],
  freshness: null,
  enabled: true,
  ...over,
});

function withStore<T>(run: (store: PresetStore) => T): T {
  const temp = createTempDb();
  try {
    return run(new PresetStore(temp.db));
  } finally {
    temp.cleanup();
  }
}

describe("PresetStore", () => {
  it("versions every save, keeps who and what, and rolls back as a new version", () =>
    withStore((store) => {
      store.create(draft(), "ada@voltaro.example");
      store.update("shipping-first", draft({ instruction: "tracking first", boosts: [] }), "sam@voltaro.example");
      const rolled = store.rollback("shipping-first", 1, "ada@voltaro.example");
      expect(rolled).toMatchObject({ version: 3, instruction: "prefer shipping status articles", boosts: [{ kind: "category", value: "shipping", weight: 0.5 }] });
      expect(store.versions("shipping-first").map((v) => [v.version, v.action, v.author])).toEqual([
        [3, "rolled back to v1", "ada@voltaro.example"],
        [2, "updated", "sam@voltaro.example"],
        [1, "created", "ada@voltaro.example"],
      ]);
      expect(store.versions("shipping-first")[1]!.snapshot.instruction).toBe("tracking first");
      expect(() => store.rollback("shipping-first", 9, null)).toThrow(PresetError);
    }));

  it("refuses a duplicate slug, and keeps defaults deletable only after another takes over", () =>
    withStore((store) => {
      store.create(draft(), null);
      expect(() => store.create(draft(), null)).toThrow(/already exists/);
      store.setDefault("help", "shipping-first");
      expect(() => store.delete("shipping-first", null)).toThrow(/default of the help surface/);
      expect(() => store.update("shipping-first", draft({ enabled: false }), null)).toThrow(/cannot be disabled/);
      expect(() => store.update("shipping-first", draft({ surfaces: ["agent"] }), null)).toThrow(/must stay on the help surface/);
      store.create(draft({ slug: "plain", name: "Plain", boosts: [], instruction: null }), null);
      store.setDefault("help", "plain");
      store.delete("shipping-first", "ada@voltaro.example");
      expect(store.get("shipping-first")).toBeUndefined();
      expect(store.versions("shipping-first")[0]!.action).toBe("deleted");
    }));

  it("only makes an enabled preset of that surface a default", () =>
    withStore((store) => {
      store.create(draft({ slug: "agent-only", surfaces: ["agent"] }), null);
      expect(() => store.setDefault("help", "agent-only")).toThrow(/not offered on the help surface/);
      store.create(draft({ slug: "off", enabled: false }), null);
      expect(() => store.setDefault("help", "off")).toThrow(/disabled/);
    }));

  it("seeds the presets the issue names, with the surface defaults", () =>
    withStore((store) => {
      expect(seedPresets(store, "seed/presets.json")).toBe(6);
      expect(store.list().map((p) => p.slug).sort()).toEqual(["agent", "agent-internal-first", "billing-and-refunds", "help", "self-service-steps", "shipping-status-first"]);
      expect(store.defaults()).toEqual({ help: "help", agent: "agent" });
      expect(store.get("agent-internal-first")!.surfaces).toEqual(["agent"]);
      expect(store.get("self-service-steps")!.surfaces).toEqual(["help"]);
      expect(seedPresets(store, "seed/presets.json")).toBe(0);
    }));
});

describe("resolvePreset", () => {
  it("an explicit preset wins, the surface default applies otherwise, a free instruction is added", () =>
    withStore((store) => {
      seedPresets(store, "seed/presets.json");
      expect(resolvePreset(store, { surface: "help" }).preset.slug).toBe("help");
      const explicit = resolvePreset(store, { surface: "help", preset: "billing-and-refunds", instruction: "prefer invoices" });
      expect(explicit.preset.slug).toBe("billing-and-refunds");
      expect(explicit.instruction).toBe(`${store.get("billing-and-refunds")!.instruction}\nprefer invoices`);
      expect(resolvePreset(store, { surface: "help", instruction: "prefer invoices" }).instruction).toBe("prefer invoices");
    }));

  it("rejects an agent-only preset on the help surface, an unknown and a disabled one", () =>
    withStore((store) => {
      seedPresets(store, "seed/presets.json");
      expect(() => resolvePreset(store, { surface: "help", preset: "agent-internal-first" })).toThrow(BadRequestError);
      expect(() => resolvePreset(store, { surface: "help", preset: "agent-internal-first" })).toThrow(/agent surface only/);
      expect(() => resolvePreset(store, { surface: "help", preset: "nope" })).toThrow(/does not exist/);
      store.update("self-service-steps", { ...store.get("self-service-steps")!, enabled: false }, null);
      expect(() => resolvePreset(store, { surface: "help", preset: "self-service-steps" })).toThrow(/disabled/);
    }));
});

describe("preset form schema", () => {
  const form = (over: Record<string, unknown> = {}) => ({ slug: "ok-slug", name: "Ok", surfaces: ["help"], instruction: "", boosts: "", enabled: "on", ...over });

  it("parses boost lines and freshness", () => {
    const parsed = presetFormSchema.parse(form({ boosts: "category:shipping +0.5\narticle:return-policy -0.25\n# a comment", freshnessHalfLifeDays: "30", freshnessWeight: "0.2" }));
    expect(parsed.boosts).toEqual([{ kind: "category", value: "shipping", weight: 0.5 }, { kind: "article", value: "return-policy", weight: -0.25 }]);
    expect(parsed.freshness).toEqual({ halfLifeDays: 30, weight: 0.2 });
    expect(parsed.instruction).toBeNull();
  });

  it("names the field and line of each mistake", () => {
    const result = presetFormSchema.safeParse(form({ slug: "Bad Slug", surfaces: [], instruction: "x".repeat(501), boosts: "category shipping\ntag:sale 3", freshnessHalfLifeDays: "30" }));
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues).toEqual(expect.arrayContaining([
      expect.stringMatching(/^slug: Use lowercase/),
      expect.stringMatching(/^surfaces: Choose at least one surface/),
      expect.stringMatching(/^instruction: Use at most 500/),
    ]));
    const late = presetFormSchema.safeParse(form({ boosts: "category shipping\ntag:sale 3", freshnessHalfLifeDays: "30" }));
    const lateIssues = late.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(lateIssues).toEqual(expect.arrayContaining([
      expect.stringMatching(/^boosts: Line 1: write kind:value weight/),
      expect.stringMatching(/^boosts: Line 2: the weight must be between -1 and 1/),
      expect.stringMatching(/^freshnessHalfLifeDays: Give both/),
    ]));
  });
});
