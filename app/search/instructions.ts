/**
 * Built-in presets, one per surface, with no steering instruction: a generic instruction only adds
 * noise to the instruction term (measured in docs/decisions/003). The presets issue moves presets
 * into the database where admins give them instructions; until then an instruction comes with the
 * request (`instruction=`).
 */
export const BUILT_IN_PRESETS = {
  help: { description: "Customer help center", instruction: null },
  agent: { description: "Agent console", instruction: null },
} as const satisfies Record<string, { description: string; instruction: string | null }>;

export type BuiltInPreset = keyof typeof BUILT_IN_PRESETS;

export function isBuiltInPreset(name: string): name is BuiltInPreset {
  return Object.hasOwn(BUILT_IN_PRESETS, name);
}
