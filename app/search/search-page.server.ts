import { randomUUID } from "node:crypto";
import type { Locale } from "~/articles/article-schema";
import { experimentFor } from "~/events/experiments.server";
import type { SearchSession } from "~/events/visitor.server";
import type { Services } from "~/services.server";
import { search, type SearchAccess, type SearchResponse, type SearchResultItem } from "./pipeline.server";
import { BadRequestError, parseSearchRequest, type Surface } from "./search-request";
import { isDatabaseBusy } from "~/db/db.server";
import { unavailablePage } from "~/http/unavailable.server";
import { EngineUnavailableError } from "./engines/engine";

export const PAGE_SIZE = 10;

export type PageResultItem = SearchResultItem & {
  category_name: string;
  /** Rank in the whole result list (0 is the top), as logged. */
  position: number;
  /** The event id a click on this result is stored under, by the beacon or by the redirect. */
  event_id: string;
  /** The result link: a redirect that logs the click (so clicks count without JavaScript). */
  click_href: string;
};
export type PageResult = Omit<SearchResponse, "results"> & {
  results: PageResultItem[];
  /** The logged search that clicks and reports refer to. */
  search_id: string;
  /** False for a search-as-you-type prefix: the page settles it (a pause, Enter or a click). */
  settled: boolean;
  /** "I didn't find what I need": a link that logs the report (without JavaScript) and moves on. */
  report_href: string;
  report_event_id: string;
};

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
  page: { surface: Surface; access: SearchAccess; labelLocale: Locale; session: SearchSession; settled: boolean },
): Promise<PageSearch> {
  const given = new URLSearchParams(params);
  given.set("surface", page.surface);
  if (!given.has("limit")) given.set("limit", String(PAGE_SIZE));
  try {
    const arm = experimentFor(services.experiments, parseSearchRequest(given), page.session.key);
    const response = await search(services.searchDeps(), arm.request, "full", page.access);
    const searchId = await logShownSearch(services, response, page.session, page.settled, arm);
    const results = response.results.map((hit, i) => {
      const position = response.offset + i;
      const eventId = randomUUID();
      return {
        ...hit,
        category_name: services.categories.label(hit.category, page.labelLocale).name,
        position,
        event_id: eventId,
        click_href: `/click/${searchId}/${position}?event=${eventId}`,
      };
    });
    const reportEventId = randomUUID();
    return {
      result: {
        ...response,
        results,
        search_id: searchId,
        settled: page.settled,
        report_href: `/report/${searchId}?event=${reportEventId}`,
        report_event_id: reportEventId,
      },
      error: null,
    };
  } catch (error) {
    if (error instanceof BadRequestError) return { result: null, error: error.message };
    if (isDatabaseBusy(error) || error instanceof EngineUnavailableError) throw unavailablePage(error);
    throw error;
  }
}

/** Logs a search before its results are sent (so no click can name an unknown search); settles with its id once committed. */
export function logShownSearch(
  services: Services,
  response: SearchResponse,
  session: SearchSession,
  settled: boolean,
  arm: { experimentId: number | null; variant: string | null } = { experimentId: null, variant: null },
): Promise<string> {
  return services.searchLog.record({
    experimentId: arm.experimentId,
    variant: arm.variant,
    surface: response.surface,
    sessionKey: session.key,
    userId: session.userId,
    query: response.query,
    preset: response.instruction.preset,
    rerankerStatus: response.reranker.status,
    total: response.total,
    latencyMs: response.timings.total_ms,
    results: response.results.map((r) => ({ slug: r.slug, score: r.score })),
    offset: response.offset,
    settled,
  });
}

/**
 * A full page load (a search without JavaScript, a shared link, a reload) is a settled search;
 * the data requests of search-as-you-type are not until the page says so. Browsers mark
 * document loads with Sec-Fetch-Dest; one that sends no such header is treated as a page load.
 */
export function isDocumentRequest(request: Request): boolean {
  const dest = request.headers.get("Sec-Fetch-Dest");
  return dest === null || dest === "document";
}
