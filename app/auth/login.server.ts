import { getEnv } from "~/config/env.server";
import { getServices } from "~/services.server";
import type { User } from "./users.server";

export type LoginOutcome =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterS: number };

/**
 * Checks an e-mail and password, with failed attempts limited per account and per client address
 * (counters in the database, shared by every app process). Passwords are never logged.
 */
export async function attemptLogin(email: string, password: string, address: string): Promise<LoginOutcome> {
  const env = getEnv();
  const { users, rateLimiter } = await getServices();
  const windowMs = env.LOGIN_WINDOW_S * 1000;
  const accountBucket = `login-fail:account:${email.trim().toLowerCase()}`;
  const addressBucket = `login-fail:ip:${address}`;
  if (
    rateLimiter.peek(accountBucket, windowMs) >= env.LOGIN_MAX_FAILURES_PER_ACCOUNT ||
    rateLimiter.peek(addressBucket, windowMs) >= env.LOGIN_MAX_FAILURES_PER_IP
  ) {
    const retryAfterS = Math.ceil((windowMs - (Date.now() % windowMs)) / 1000);
    return { ok: false, reason: "rate_limited", retryAfterS };
  }
  const user = await users.verifyLogin(email, password);
  if (!user) {
    await rateLimiter.hit(accountBucket, env.LOGIN_MAX_FAILURES_PER_ACCOUNT, windowMs);
    await rateLimiter.hit(addressBucket, env.LOGIN_MAX_FAILURES_PER_IP, windowMs);
    return { ok: false, reason: "invalid" };
  }
  rateLimiter.reset(accountBucket);
  return { ok: true, user };
}
