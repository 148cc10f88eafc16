import { Form, Link, useNavigate } from "@remix-run/react";
import type { ReactNode } from "react";
import { isPlainClick, sendEvent } from "./events-client";
import type { PageResult } from "~/search/search-page.server";
import { HELP_STRINGS, HTML_LANG, type HelpLang } from "./help-strings";
import { ResultList } from "./result-list";

export interface TopicTile {
  category: string;
  name: string;
  description: string;
  count: number;
}

/** A help-center address in a language: English needs no parameter, Chinese adds lang=zh. */
export function helpHref(path: string, lang: HelpLang, params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  if (lang !== "en") search.set("lang", lang);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** The frame of every help-center page: language switch, then the page. */
export function HelpFrame({ lang, switchHref, children }: { lang: HelpLang; switchHref: string; children: ReactNode }) {
  const t = HELP_STRINGS[lang];
  const other: HelpLang = lang === "en" ? "zh" : "en";
  return (
    <div lang={HTML_LANG[lang]}>
      <div className="flex justify-end text-sm">
        <Link
          to={switchHref}
          lang={HTML_LANG[other]}
          hrefLang={HTML_LANG[other]}
          data-testid="language-switch"
          className="rounded px-1 text-indigo-700 underline hover:text-indigo-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600"
        >
          <span className="sr-only">{t.languageLabel}: </span>
          {t.switchTo}
        </Link>
      </div>
      {children}
    </div>
  );
}

export function HelpSearchForm({ lang, q, category, autoFocus = false }: { lang: HelpLang; q: string; category?: string; autoFocus?: boolean }) {
  const t = HELP_STRINGS[lang];
  return (
    <Form method="get" action="/help" role="search" className="mt-4 flex gap-2">
      <label htmlFor="help-q" className="sr-only">{t.searchLabel}</label>
      <input
        id="help-q"
        name="q"
        type="search"
        // Remounts on a new search so back/forward shows the query of that page.
        key={q}
        defaultValue={q}
        maxLength={500}
        placeholder={t.searchPlaceholder}
        autoComplete="off"
        autoFocus={autoFocus}
        className="w-full min-w-0 rounded-md border border-slate-400 bg-white px-3 py-2 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-300"
      />
      {category ? <input type="hidden" name="category" value={category} /> : null}
      {lang !== "en" ? <input type="hidden" name="lang" value={lang} /> : null}
      <button type="submit" className="shrink-0 rounded-md bg-indigo-700 px-4 py-2 font-medium text-white shadow-sm hover:bg-indigo-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 focus-visible:ring-offset-2">
        {t.searchButton}
      </button>
    </Form>
  );
}

export function TopicTiles({ lang, topics, heading }: { lang: HelpLang; topics: readonly TopicTile[]; heading?: string }) {
  const t = HELP_STRINGS[lang];
  return (
    <section aria-labelledby="topics-heading" className="mt-8">
      <h2 id="topics-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-700">{heading ?? t.browseTopics}</h2>
      <ul className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {topics.map((topic) => (
          <li key={topic.category}>
            <Link
              to={helpHref(`/help/categories/${topic.category}`, lang)}
              className="block h-full rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-indigo-400 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600"
            >
              <span className="block font-medium text-slate-900">{topic.name}</span>
              {topic.description ? <span className="mt-1 block text-sm text-slate-700">{topic.description}</span> : null}
              <span className="mt-2 block text-xs text-slate-600">{t.articleCount(topic.count)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ContactLink({ lang, href }: { lang: HelpLang; href: string }) {
  const t = HELP_STRINGS[lang];
  return (
    <p className="mt-4 text-sm text-slate-700">
      {t.contactPrompt}{" "}
      <Link to={href} className="font-medium text-indigo-700 underline" data-testid="contact-link">{t.contactLink}</Link>
    </p>
  );
}

/**
 * "I didn't find what I need" under a search: logged as a report on that search (a beacon, or
 * the link's redirect without JavaScript), then the contact article opens.
 */
export function NotFoundLink({ lang, result, contactHref }: { lang: HelpLang; result: PageResult; contactHref: string }) {
  const t = HELP_STRINGS[lang];
  const navigate = useNavigate();
  return (
    <p className="mt-4 text-sm text-slate-700">
      {t.notFoundPrompt}{" "}
      <Link
        to={`${result.report_href}${lang === "zh" ? "&lang=zh" : ""}`}
        data-testid="not-found-link"
        className="font-medium text-indigo-700 underline"
        onClick={(event) => {
          if (!isPlainClick(event)) return;
          event.preventDefault();
          sendEvent({ id: result.report_event_id, kind: "not_found", search_id: result.search_id, surface: "help" });
          navigate(contactHref);
        }}
      >
        {t.notFoundLink}
      </Link>
    </p>
  );
}

/** What a search found, with the count announced to screen readers, or the friendly empty state. */
export function HelpResults({
  lang,
  result,
  topics,
  contactHref,
  search,
  searching,
}: {
  lang: HelpLang;
  result: PageResult;
  topics: readonly TopicTile[];
  contactHref: string;
  /** The page's current query string, for the pagination and correction links. */
  search: string;
  searching: boolean;
}) {
  const t = HELP_STRINGS[lang];
  const page = Math.floor(result.offset / result.limit) + 1;
  const pages = Math.max(1, Math.ceil(result.total / result.limit));
  const withParams = (changes: Record<string, string | undefined>) => {
    const params = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) v === undefined ? params.delete(k) : params.set(k, v);
    return `/help?${params}`;
  };
  return (
    <section aria-label="Search results" className={`mt-6 transition-opacity ${searching ? "opacity-60" : ""}`} aria-busy={searching}>
      {result.corrected_query ? (
        <p data-testid="correction-note" className="mb-2 text-sm text-slate-700">
          {t.correctionShowing} <strong className="font-semibold">{result.corrected_query}</strong>.{" "}
          {t.correctionInstead}{" "}
          <Link to={withParams({ q: result.query, exact: "1", offset: undefined })} className="text-indigo-700 underline">{result.query}</Link>
        </p>
      ) : null}
      {result.reranker.status === "fallback" && result.reranker.reason !== "locale" ? (
        <p data-testid="reranker-note" className="mb-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">{t.rerankerFallback}</p>
      ) : null}
      <p role="status" aria-live="polite" data-testid="result-summary" className="text-sm text-slate-700">
        {result.total === 0 ? t.noResultsTitle(result.query) : t.resultCount(result.total, result.query)}
      </p>
      {result.total === 0 ? (
        <div data-testid="empty-state" className="mt-4 rounded-lg border border-slate-200 bg-white p-5">
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
            {t.noResultsTips.map((tip) => <li key={tip}>{tip}</li>)}
          </ul>
          <NotFoundLink lang={lang} result={result} contactHref={contactHref} />
          <TopicTiles lang={lang} topics={topics} heading={t.noResultsBrowse} />
        </div>
      ) : (
        <>
          <ResultList results={result.results} searchId={result.search_id} surface="help" updatedLabel={t.updated} showMeta />
          <NotFoundLink lang={lang} result={result} contactHref={contactHref} />
        </>
      )}
      {pages > 1 ? (
        <nav aria-label="Pagination" className="mt-6 flex items-center justify-between text-sm">
          {page > 1 ? <Link to={withParams({ offset: String((page - 2) * result.limit) })} className="text-indigo-700 underline">{t.previous}</Link> : <span />}
          <span className="text-slate-700">{t.pageOf(page, pages)}</span>
          {page < pages ? <Link to={withParams({ offset: String(page * result.limit) })} className="text-indigo-700 underline">{t.next}</Link> : <span />}
        </nav>
      ) : null}
    </section>
  );
}
