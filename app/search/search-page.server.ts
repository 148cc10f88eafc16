import { getServices } from "~/services.server";
import { audiencesFor, search, type SearchAccess } from "./pipeline.server";
import { BadRequestError, parseSearchRequest, type Surface } from "./search-request";

const PAGE_SIZE = 10;

/**
 * The search page's data for one surface. The surface comes from the route, never from the URL,
 * so `?surface=agent` on the help center changes nothing.
 */
export async function loadSearchPage(
  request: Request,
  page: { surface: Surface; basePath: string; access: SearchAccess },
): Promise<Response> {
  const url = new URL(request.url);
  const services = await getServices();
  const { store } = services;
  const audiences = audiencesFor(page.surface, page.access);
  const categories = store.categories(audiences);
  const q = url.searchParams.get("q") ?? "";
  const base = {
    surface: page.surface,
    basePath: page.basePath,
    q,
    locale: url.searchParams.get("locale") ?? "",
    category: url.searchParams.get("category") ?? "",
    categories,
  };
  if (!q.trim()) {
    const listing = base.category ? store.listCategory(base.category, audiences) : [];
    return Response.json({ ...base, listing, result: null, error: null });
  }
  const params = new URLSearchParams(url.searchParams);
  params.set("surface", page.surface);
  if (!params.has("limit")) params.set("limit", String(PAGE_SIZE));
  try {
    const result = await search(services.searchDeps(), parseSearchRequest(params), "full", page.access);
    return Response.json({ ...base, listing: [], result, error: null });
  } catch (error) {
    if (error instanceof BadRequestError) {
      return Response.json({ ...base, listing: [], result: null, error: error.message }, { status: 400 });
    }
    throw error;
  }
}
