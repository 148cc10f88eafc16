import type { LoaderFunctionArgs } from "@remix-run/node";
import { BadRequestError, parseSearchRequest } from "~/search/search-request";
import { search } from "~/search/pipeline.server";
import { EngineUnavailableError } from "~/search/engines/engine";
import { getServices } from "~/services.server";

/** GET /api/search — JSON search results (see README for the shape). */
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const params = parseSearchRequest(new URL(request.url).searchParams);
    const services = await getServices();
    return Response.json(await search(services.searchDeps(), params), {
      headers: { "Cache-Control": "no-store" },
    });
  } catch (error) {
    if (error instanceof BadRequestError) {
      return Response.json(
        { error: { code: "bad_request", message: error.message, issues: error.issues } },
        { status: 400 },
      );
    }
    if (error instanceof EngineUnavailableError) {
      console.error(error);
      return Response.json(
        { error: { code: "engine_unavailable", message: "Search is temporarily unavailable." } },
        { status: 503, headers: { "Retry-After": "5" } },
      );
    }
    throw error;
  }
}
