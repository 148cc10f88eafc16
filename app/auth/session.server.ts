import { createCookie, createCookieSessionStorage } from "@remix-run/node";
import { CSRF } from "remix-utils/csrf/server";
import { getEnv, sessionSecret } from "~/config/env.server";

function cookieOptions() {
  const env = getEnv();
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: env.NODE_ENV === "production",
    path: "/",
    secrets: [sessionSecret(env)],
  };
}

let storage: ReturnType<typeof createCookieSessionStorage<{ sessionId: string }>> | undefined;
let csrfInstance: CSRF | undefined;

/** The signed cookie that carries the server-side session id (sessions.server.ts). */
export function sessionStorage() {
  storage ??= createCookieSessionStorage<{ sessionId: string }>({
    cookie: { name: "__helprank_session", maxAge: 14 * 86_400, ...cookieOptions() },
  });
  return storage;
}

/** Double-submit CSRF token (remix-utils): a signed cookie plus a hidden field in every form. */
export function csrf(): CSRF {
  csrfInstance ??= new CSRF({
    cookie: createCookie("__helprank_csrf", cookieOptions()),
    formDataKey: "csrf",
    secret: sessionSecret(getEnv()),
  });
  return csrfInstance;
}
