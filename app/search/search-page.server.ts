import type { Locale } from "~/articles/article-schema";
import type { Services } from "~/services.server";
import { search, type SearchAccess, type SearchResponse, type SearchResultItem } from "./pipeline.server";
import { BadRequestError, parseSearchRequest, type Surface } from "./search-request";

export const PAGE_SIZE = 10;

export type PageResultItem = SearchResultItem & { category_name: string };
export type PageResult = Omit<SearchResponse, "results"> & { results: PageResultItem[] };

export interface PageSearch {
  result: PageResult | null;
  /** A parameter the visitor must fix (the page answers 400 and shows it). */
  error: string | null;
}

/**
 * Runs the search a page's URL (or ticket form) asks for. The surface comes from the route, never
 * from the parameters, so `?surface=agent` on the help center changes nothing.
 */
export async function searchForPage(
  services: Services,
  params: URLSearchParams,
  page: { surface: Surface; access: SearchAccess; labelLocale: Locale },
): Promise<PageSearch> {
  const input = new URLSearchParams(params);
  input.set("surface", page.surface);
  if (!input.has("limit")) input.set("limit", String(PAGE_SIZE));
  try {
    const response = await search(services.searchDeps(), parseSearchRequest(input), "full", page.access);
    const results = response.results.map((hit) => ({ ...hit, category_name: services.categories.label(hit.category, page.labelLocale).name }));
    return { result: { ...response, results }, error: null };
  } catch (error) {
    if (error instanceof BadRequestError) return { result: null, error: error.message };
    throw error;
  }
}
