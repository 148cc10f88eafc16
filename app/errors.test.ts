import { describe, expect, it } from "vitest";
import { EngineUnavailableError } from "~/search/engines/engine";
import { PresetError } from "~/presets/presets.server";

/** The other copy of the app's code (the server build) has classes of its own with the same names. */
class OtherCopyEngineUnavailableError extends Error {
  override name = "EngineUnavailableError";
}

describe("typed errors", () => {
  it("are recognised whichever copy of the app's code threw them, and only by their own name", () => {
    expect(new OtherCopyEngineUnavailableError("down") instanceof EngineUnavailableError).toBe(true);
    expect(new EngineUnavailableError("meilisearch", "down") instanceof EngineUnavailableError).toBe(true);
    expect(new EngineUnavailableError("meilisearch", "down") instanceof PresetError).toBe(false);
    expect(new Error("down") instanceof EngineUnavailableError).toBe(false);
    expect({ name: "EngineUnavailableError" } instanceof EngineUnavailableError).toBe(false);
  });
});
