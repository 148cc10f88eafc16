import { Link, useNavigate } from "@remix-run/react";
import { useCallback, type MouseEvent, type ReactNode } from "react";
import type { PageResultItem } from "~/search/search-page.server";
import { isPlainClick, sendEvent } from "./events-client";

const LOCALE_NAMES: Record<string, string> = { en: "English", zh: "中文" };

/**
 * Search results in ranked order: highlighted title and snippet (the engine escapes the text and
 * adds only <mark>), category, audience and language. `extra` adds per-surface parts under each.
 */
/**
 * Opening a result: the click is sent as a beacon under the event id its link carries, then the
 * app goes straight to the article. Without JavaScript (or with a modified click) the link's
 * redirect logs the same event id instead, so one click never counts twice.
 */
export function useOpenResult(searchId: string, surface: "help" | "agent") {
  const navigate = useNavigate();
  return useCallback(
    (hit: PageResultItem, event?: MouseEvent) => {
      if (event && !isPlainClick(event)) return;
      event?.preventDefault();
      sendEvent({ id: hit.event_id, kind: "click", search_id: searchId, surface, slug: hit.slug, position: hit.position });
      navigate(hit.url);
    },
    [navigate, searchId, surface],
  );
}

export function ResultList({
  results,
  searchId,
  surface,
  selected,
  extra,
  showMeta = true,
  showAudience = false,
  updatedLabel = (date: string) => `Updated ${date}`,
}: {
  results: readonly PageResultItem[];
  /** The logged search these results belong to (clicks name it). */
  searchId: string;
  surface: "help" | "agent";
  /** Index of the result the keyboard is on (agent console). */
  selected?: number;
  extra?: (hit: PageResultItem, index: number) => ReactNode;
  showMeta?: boolean;
  /** Mark each result public or internal (agents see both kinds). */
  showAudience?: boolean;
  updatedLabel?: (date: string) => string;
}) {
  const open = useOpenResult(searchId, surface);
  return (
    <ol className="mt-3 space-y-3" data-testid="result-list">
      {results.map((hit, i) => (
        <li
          key={hit.slug}
          id={`result-${i}`}
          data-slug={hit.slug}
          aria-current={selected === i ? "true" : undefined}
          className={`rounded-lg border bg-white p-4 shadow-sm ${selected === i ? "border-indigo-500 ring-2 ring-indigo-200" : "border-slate-200"}`}
          lang={hit.locale === "zh" ? "zh-CN" : "en"}
        >
          <h3 className="text-lg font-medium">
            <Link
              to={hit.click_href}
              rel="nofollow"
              onClick={(event) => open(hit, event)}
              data-article-url={hit.url}
              className="text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 [&_mark]:bg-yellow-100 [&_mark]:text-inherit"
              dangerouslySetInnerHTML={{ __html: hit.title_html }}
            />
          </h3>
          {showMeta ? (
            <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600">
              <span>{hit.category_name}</span>
              {hit.audience === "internal" ? (
                <span data-testid="internal-badge" className="rounded bg-amber-100 px-1.5 font-semibold uppercase text-amber-900">
                  Internal — agents only
                </span>
              ) : showAudience ? (
                <span className="rounded bg-slate-100 px-1.5 text-slate-700">Public</span>
              ) : null}
              <span>{LOCALE_NAMES[hit.locale] ?? hit.locale}</span>
              <span>{updatedLabel(hit.updated)}</span>
            </p>
          ) : null}
          <p className="mt-2 text-sm leading-relaxed text-slate-700 [&_mark]:bg-yellow-100 [&_mark]:text-inherit" dangerouslySetInnerHTML={{ __html: hit.snippet }} />
          {extra?.(hit, i)}
        </li>
      ))}
    </ol>
  );
}
