/** `public` keys see public articles only; `internal` keys may search the agent surface too. */
export const KEY_SCOPES = ["public", "internal"] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];
