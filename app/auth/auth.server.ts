import { redirect } from "@remix-run/node";
import { CSRFError } from "remix-utils/csrf/server";
import { getServices } from "~/services.server";
import type { ApiKey } from "./api-keys.server";
import { csrf, sessionStorage } from "./session.server";
import type { SessionUser } from "./sessions.server";
import type { Role } from "./users.server";
import { isErrorNamed } from "~/errors";

/** Who is asking: a signed-in agent or admin, an API key, or nobody. */
export type Viewer =
  | { kind: "user"; user: SessionUser }
  | { kind: "key"; key: ApiKey }
  | { kind: "anonymous" };

/** A request that must be answered with this response (401 / 403 / 429 …) instead of the route's. */
export class AuthError extends Error {
  override name = "AuthError";
  /** Matches this error from either copy of the app's code (app/errors.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isErrorNamed(value, "AuthError");
  }
  constructor(
    readonly status: 401 | 403 | 429,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Only same-site paths: "//evil.example" and "https://…" fall back to `fallback`. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

/** The signed-in user of this request, or undefined (ended, expired and disabled sessions count as none). */
export async function getUser(request: Request): Promise<SessionUser | undefined> {
  const session = await sessionStorage().getSession(request.headers.get("Cookie"));
  const sessionId = session.get("sessionId");
  if (!sessionId) return undefined;
  return (await getServices()).sessions.get(sessionId);
}

/**
 * The signed-in user, or a redirect to /login (with a safe redirectTo back here); a user without
 * the role gets 403.
 */
export async function requireUser(request: Request, options: { role?: Role } = {}): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    // Back to the page, not to the data request that asked for it (?_data=, /x.data).
    url.searchParams.delete("_data");
    url.searchParams.delete("_routes");
    const pathname = url.pathname.endsWith(".data") ? url.pathname.slice(0, -".data".length) || "/" : url.pathname;
    throw redirect(`/login?${new URLSearchParams({ redirectTo: `${pathname}${url.search}` })}`);
  }
  if (options.role === "admin" && user.role !== "admin") {
    throw new Response("This page is for admins. Ask an admin if you need access.", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

export const requireAdmin = (request: Request) => requireUser(request, { role: "admin" });

/**
 * The caller of an API request: an `Authorization: Bearer` key wins, else the session cookie. A
 * key that is present but unknown or revoked is a 401, never a silent downgrade to anonymous.
 */
export async function getViewer(request: Request): Promise<Viewer> {
  const authorization = request.headers.get("Authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new AuthError(401, "Authorization must be 'Bearer <API key>'", { "WWW-Authenticate": "Bearer" });
    const key = (await getServices()).apiKeys.verify(match[1]!);
    if (!key) throw new AuthError(401, "the API key is unknown or has been revoked", { "WWW-Authenticate": "Bearer" });
    return { kind: "key", key };
  }
  const user = await getUser(request);
  return user ? { kind: "user", user } : { kind: "anonymous" };
}

/** Internal articles are for signed-in agents and admins and for `internal`-scoped keys only. */
export function canSeeInternal(viewer: Viewer): boolean {
  return viewer.kind === "user" || (viewer.kind === "key" && viewer.key.scope === "internal");
}

/** Starts a server-side session for the user and redirects with its cookie. */
export async function signIn(userId: number, redirectTo: string): Promise<Response> {
  const sessionId = (await getServices()).sessions.create(userId);
  const session = await sessionStorage().getSession();
  session.set("sessionId", sessionId);
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessionStorage().commitSession(session) } });
}

export async function signOut(request: Request): Promise<Response> {
  const session = await sessionStorage().getSession(request.headers.get("Cookie"));
  const sessionId = session.get("sessionId");
  if (sessionId) (await getServices()).sessions.delete(sessionId);
  return redirect("/", { headers: { "Set-Cookie": await sessionStorage().destroySession(session) } });
}

/**
 * Reads the form of a mutating request and checks its CSRF token; a missing or wrong token is a
 * 403 response (thrown).
 */
export async function readFormWithCsrf(request: Request): Promise<FormData> {
  const formData = await request.formData();
  try {
    await csrf().validate(formData, request.headers);
  } catch (error) {
    if (error instanceof CSRFError) {
      throw new Response("This form has expired or did not come from this site. Reload the page and try again.", { status: 403, statusText: "Forbidden" });
    }
    throw error;
  }
  return formData;
}

/**
 * The client's address as the server's socket saw it (scripts/start.ts puts it in the load
 * context); proxy headers are not trusted, since any client can send them. The Vite dev server
 * has no such context: all its clients share one bucket.
 */
export function clientAddress(context: unknown): string {
  const fromServer = (context as { clientAddress?: unknown } | undefined)?.clientAddress;
  return typeof fromServer === "string" && fromServer ? fromServer : "unknown";
}

/** JSON error body of the API for an AuthError. */
export function authErrorResponse(error: AuthError): Response {
  const code = error.status === 401 ? "unauthorized" : error.status === 403 ? "forbidden" : "rate_limited";
  return Response.json({ error: { code, message: error.message } }, { status: error.status, headers: error.headers });
}
