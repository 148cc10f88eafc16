import { isDatabaseBusy } from "~/db/db.server";
import { unavailablePage } from "~/http/unavailable.server";
import { getServices } from "~/services.server";
import { AuthError, clientAddress, type Viewer } from "./auth.server";

export type LimitedEndpoint = "search" | "events";

/**
 * Whose requests count together: a signed-in person or an API key by identity (an office behind
 * one address is not one customer), anyone else by the client's address.
 */
export function requesterKey(viewer: Viewer, context: unknown): string {
  if (viewer.kind === "user") return `user:${viewer.user.id}`;
  if (viewer.kind === "key") return `key:${viewer.key.id}`;
  return `ip:${clientAddress(context)}`;
}

/**
 * Per-minute limits of the public endpoints (RATE_LIMIT_SEARCH_PER_MIN, RATE_LIMIT_EVENTS_PER_MIN;
 * 0 switches one off). The counters live in the database, so several server processes share
 * them. Past the limit: AuthError 429 with Retry-After.
 */
export async function enforceRequestLimit(endpoint: LimitedEndpoint, requester: string): Promise<void> {
  const { env, rateLimiter } = await getServices();
  const limit = endpoint === "search" ? env.RATE_LIMIT_SEARCH_PER_MIN : env.RATE_LIMIT_EVENTS_PER_MIN;
  if (limit === 0) return;
  const result = await rateLimiter.hit(`${endpoint}:${requester}`, limit, 60_000);
  if (!result.allowed) {
    throw new AuthError(429, `too many ${endpoint === "search" ? "searches" : "event batches"}: at most ${limit} a minute; try again in ${result.retryAfterS} s`, {
      "Retry-After": String(result.retryAfterS),
    });
  }
}

/** The same limit for searches from a page: past it, the page answers 429 (the app's error page) with Retry-After. */
export async function limitPageSearch(request: Request, context: unknown, user?: { id: number }): Promise<void> {
  try {
    await enforceRequestLimit("search", user ? `user:${user.id}` : requesterKey({ kind: "anonymous" }, context));
  } catch (error) {
    if (error instanceof AuthError) throw new Response(error.message, { status: 429, statusText: "Too Many Requests", headers: error.headers });
    if (isDatabaseBusy(error)) throw unavailablePage(error);
    throw error;
  }
}
