import { AuthError, authErrorResponse, getViewer } from "./auth.server";

/**
 * The app's rerank API scores arbitrary text with the server's CPU: it needs an API key (either
 * scope) or a signed-in user. Returns the error response to send, or undefined to go on.
 */
export async function requireRerankCaller(request: Request): Promise<Response | undefined> {
  try {
    const viewer = await getViewer(request);
    if (viewer.kind === "anonymous") {
      throw new AuthError(401, "the rerank API needs an API key: Authorization: Bearer <key> (admins create keys at /admin/keys)", { "WWW-Authenticate": "Bearer" });
    }
    return undefined;
  } catch (error) {
    if (error instanceof AuthError) return authErrorResponse(error);
    throw error;
  }
}
