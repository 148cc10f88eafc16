import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { AuthError, authErrorResponse, canSeeInternal, getViewer } from "~/auth/auth.server";
import { BadRequestError, parseSearchRequest } from "~/search/search-request";
import { search } from "~/search/pipeline.server";
import { databaseBusyResponse } from "~/http/unavailable.server";
import { isDatabaseBusy } from "~/db/db.server";
import { EngineUnavailableError } from "~/search/engines/engine";
import { enforceRequestLimit, requesterKey } from "~/auth/request-limits.server";
import { experimentFor } from "~/events/experiments.server";
import { searchSession, withSessionCookie } from "~/events/visitor.server";
import { logShownSearch } from "~/search/search-page.server";
import { getServices } from "~/services.server";

/**
 * GET /api/search — JSON search results (see README for the shape). `surface=agent` needs a
 * signed-in agent or admin, or an `internal`-scoped API key (Authorization: Bearer).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  try {
    const viewer = await getViewer(request);
    await enforceRequestLimit("search", requesterKey(viewer, context));
    const given = new URL(request.url).searchParams;
    const asked = parseSearchRequest(given);
    if (asked.surface === "agent" && !canSeeInternal(viewer)) {
      throw viewer.kind === "anonymous"
        ? new AuthError(401, "surface=agent needs a signed-in agent or an API key with the internal scope", { "WWW-Authenticate": "Bearer" })
        : new AuthError(403, "this API key has the public scope: surface=agent needs the internal scope");
    }
    const settled = parseSettled(given.get("settled"));
    const session = await searchSession(request, viewer);
    const services = await getServices();
    // An explicit preset= wins, then this session's arm of a running A/B test, then the surface default.
    const arm = experimentFor(services.experiments, asked, session.key);
    const response = await search(services.searchDeps(), arm.request, "full", { internal: canSeeInternal(viewer) });
    // Logged before it is sent: events (POST /api/events) name it by search_id.
    const searchId = await logShownSearch(services, response, session, settled, arm);
    const experiment = arm.experimentId ? { id: arm.experimentId, variant: arm.variant } : null;
    return Response.json({ search_id: searchId, experiment, ...response }, {
      headers: withSessionCookie(session, { "Cache-Control": "no-store" }),
    });
  } catch (error) {
    if (error instanceof AuthError) return authErrorResponse(error);
    if (error instanceof BadRequestError) {
      return Response.json(
        { error: { code: "bad_request", message: error.message, issues: error.issues } },
        { status: 400 },
      );
    }
    if (isDatabaseBusy(error)) return databaseBusyResponse();
    if (error instanceof EngineUnavailableError) {
      // One line per refused search, as for pages (unavailablePage): the cause, not a stack trace.
      console.error(`503: search unavailable: ${error.message.split("\n")[0]}`);
      return Response.json(
        { error: { code: "engine_unavailable", message: "Search is temporarily unavailable." } },
        { status: 503, headers: { "Retry-After": "5" } },
      );
    }
    throw error;
  }
}

/** `settled=false` marks a search-as-you-type prefix: it counts once a `settle` or click event names it. */
function parseSettled(value: string | null): boolean {
  if (value === null || value === "" || value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new BadRequestError("settled must be true or false");
}

/** Anything but GET: 405 in the API's error shape, saying what is allowed. */
export function action({ request }: ActionFunctionArgs) {
  return Response.json(
    { error: { code: "method_not_allowed", message: `${request.method} is not allowed on /api/search: use GET with query parameters` } },
    { status: 405, headers: { Allow: "GET" } },
  );
}
