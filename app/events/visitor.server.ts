import { createCookie } from "@remix-run/node";
import { randomUUID } from "node:crypto";
import { getUser, type Viewer } from "~/auth/auth.server";
import { getEnv, sessionSecret } from "~/config/env.server";

/**
 * Who a search and its events belong to: the unit of analytics and of A/B assignment.
 * Signed-in people are 'user:<id>', integrations 'key:<id>', anonymous customers
 * 'visitor:<random id>' from a signed, first-party cookie that holds nothing else.
 */
export interface SearchSession {
  key: string;
  userId: number | null;
  /** Set-Cookie for a visitor seen for the first time (the response must carry it). */
  setCookie?: string;
}

const VISITOR_ID = /^[0-9a-f-]{36}$/;

let cookie: ReturnType<typeof createCookie> | undefined;
function visitorCookie() {
  const env = getEnv();
  cookie ??= createCookie("__helprank_visitor", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production",
    path: "/",
    maxAge: 365 * 86_400,
    secrets: [sessionSecret(env)],
  });
  return cookie;
}

/**
 * The session of a request. Only the route that answers (never the root as well) may call it
 * with `create`, so one response hands out at most one new visitor id.
 */
export async function searchSession(request: Request, viewer: Viewer, options: { create?: boolean } = { create: true }): Promise<SearchSession> {
  if (viewer.kind === "user") return { key: `user:${viewer.user.id}`, userId: viewer.user.id };
  if (viewer.kind === "key") return { key: `key:${viewer.key.id}`, userId: null };
  const known = await visitorCookie().parse(request.headers.get("Cookie"));
  if (typeof known === "string" && VISITOR_ID.test(known)) return { key: `visitor:${known}`, userId: null };
  const id = randomUUID();
  if (options.create === false) return { key: `visitor:${id}`, userId: null };
  return { key: `visitor:${id}`, userId: null, setCookie: await visitorCookie().serialize(id) };
}

/** Adds the visitor cookie to response headers when the session is new. */
export function withSessionCookie(session: SearchSession, headers: HeadersInit = {}): Headers {
  const out = new Headers(headers);
  if (session.setCookie) out.append("Set-Cookie", session.setCookie);
  return out;
}

/** The session of a page request (signed-in person or anonymous visitor; pages take no API keys). */
export async function pageSession(request: Request): Promise<SearchSession> {
  const user = await getUser(request);
  return searchSession(request, user ? { kind: "user", user } : { kind: "anonymous" });
}
