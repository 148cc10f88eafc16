import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { PageResultItem } from "~/search/search-page.server";

const LOCALE_NAMES: Record<string, string> = { en: "English", zh: "中文" };

/**
 * Search results in ranked order: highlighted title and snippet (the engine escapes the text and
 * adds only <mark>), category, audience and language. `extra` adds per-surface parts under each.
 */
export function ResultList({
  results,
  selected,
  extra,
  showMeta = true,
  showAudience = false,
  updatedLabel = (date: string) => `Updated ${date}`,
}: {
  results: readonly PageResultItem[];
  /** Index of the result the keyboard is on (agent console). */
  selected?: number;
  extra?: (hit: PageResultItem, index: number) => ReactNode;
  showMeta?: boolean;
  /** Mark each result public or internal (agents see both kinds). */
  showAudience?: boolean;
  updatedLabel?: (date: string) => string;
}) {
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
              to={hit.url}
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
