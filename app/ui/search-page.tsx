import { Form, Link, useLocation, useNavigation } from "@remix-run/react";
import type { SearchResponse } from "~/search/pipeline.server";
import { humanize } from "./format";

export interface SearchPageData {
  surface: "help" | "agent";
  /** Where this page lives ("/" or "/agent"): links and the form stay on it. */
  basePath: string;
  q: string;
  locale: string;
  category: string;
  categories: { category: string; count: number }[];
  listing: { slug: string; title: string; locale: string }[];
  result: SearchResponse | null;
  error: string | null;
}

/** The search page of both surfaces: a GET form, the URL holds the state, no JavaScript needed. */
export function SearchPage({ data }: { data: SearchPageData }) {
  const { surface, basePath, q, locale, category, categories, listing, result, error } = data;
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location?.pathname === basePath;
  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight">{surface === "agent" ? "Agent search" : "How can we help?"}</h1>
      {surface === "agent" ? <p className="mt-1 text-sm text-slate-600">Public and internal articles. Internal ones are marked and are never shown to customers.</p> : null}
      <Form method="get" action={basePath} role="search" className="mt-4 space-y-3" key={`${q}|${locale}|${category}`}>
        <div className="flex gap-2">
          <label htmlFor="q" className="sr-only">Search help articles</label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={q}
            maxLength={500}
            placeholder="e.g. where is my package"
            autoComplete="off"
            className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
          />
          <button type="submit" className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white shadow-sm hover:bg-indigo-700">
            Search
          </button>
        </div>
        <div className="flex flex-wrap gap-3 text-sm text-slate-600">
          <label className="flex items-center gap-1">
            Language
            <select name="locale" defaultValue={locale} className="rounded border border-slate-300 bg-white px-2 py-1">
              <option value="">Automatic</option>
              <option value="en">English</option>
              <option value="zh">中文</option>
              <option value="all">All languages</option>
            </select>
          </label>
          <label className="flex items-center gap-1">
            Topic
            <select name="category" defaultValue={category} className="rounded border border-slate-300 bg-white px-2 py-1">
              <option value="">All topics</option>
              {categories.map((c) => (
                <option key={c.category} value={c.category}>
                  {humanize(c.category)} ({c.count})
                </option>
              ))}
            </select>
          </label>
        </div>
      </Form>

      {error ? (
        <p role="alert" className="mt-6 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-red-800">
          {error}
        </p>
      ) : null}

      {result ? <Results result={result} searching={searching} basePath={basePath} /> : null}

      {!result && !error && listing.length ? <Listing category={category} listing={listing} /> : null}

      {!result && !error && !listing.length ? <Browse categories={categories} basePath={basePath} /> : null}
    </div>
  );
}

function Results({ result, searching, basePath }: { result: SearchResponse; searching: boolean; basePath: string }) {
  const location = useLocation();
  const page = Math.floor(result.offset / result.limit) + 1;
  const pages = Math.max(1, Math.ceil(result.total / result.limit));
  return (
    <section aria-label="Search results" className={`mt-6 ${searching ? "opacity-60" : ""}`}>
      <CorrectionNote result={result} search={location.search} basePath={basePath} />
      <RerankerNote reranker={result.reranker} />
      <p className="text-sm text-slate-500" data-testid="result-summary">
        {result.total === 0
          ? `No articles match “${result.query}”. Try other words, or contact us.`
          : `${result.total} article${result.total === 1 ? "" : "s"} · ${result.timings.total_ms} ms`}
      </p>
      <ol className="mt-3 space-y-3">
        {result.results.map((hit) => (
          <li key={hit.slug} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" lang={hit.locale === "zh" ? "zh-CN" : "en"}>
            <Link to={hit.url} className="text-lg font-medium text-indigo-700 hover:underline" dangerouslySetInnerHTML={{ __html: hit.title_html }} />
            <div className="mt-1 flex gap-2 text-xs uppercase tracking-wide text-slate-500">
              <span>{humanize(hit.category)}</span>
              {hit.audience === "internal" ? (
                <span data-testid="internal-badge" className="rounded bg-amber-100 px-1.5 font-semibold text-amber-900">Internal</span>
              ) : null}
            </div>
            <p className="mt-2 text-sm leading-relaxed text-slate-700" dangerouslySetInnerHTML={{ __html: hit.snippet }} />
            <WhyThisResult explain={hit.explain} score={hit.score} />
          </li>
        ))}
      </ol>
      {pages > 1 ? (
        <nav aria-label="Pagination" className="mt-6 flex items-center justify-between text-sm">
          {page > 1 ? <Link to={pageUrl(basePath, location.search, result, page - 1)} className="text-indigo-700 underline">← Previous</Link> : <span />}
          <span className="text-slate-500">Page {page} of {pages}</span>
          {page < pages ? <Link to={pageUrl(basePath, location.search, result, page + 1)} className="text-indigo-700 underline">Next →</Link> : <span />}
        </nav>
      ) : null}
    </section>
  );
}

/** "Showing results for …" with a way back to the words as typed, as search engines do. */
function CorrectionNote({ result, search, basePath }: { result: SearchResponse; search: string; basePath: string }) {
  if (!result.corrected_query) return null;
  return (
    <p data-testid="correction-note" className="mb-2 text-sm text-slate-700">
      Showing results for <strong className="font-semibold">{result.corrected_query}</strong>.{" "}
      Search instead for{" "}
      <Link to={searchUrl(basePath, search, { q: result.query, exact: "1", offset: undefined })} className="text-indigo-700 underline">
        {result.query}
      </Link>
    </p>
  );
}

function RerankerNote({ reranker }: { reranker: SearchResponse["reranker"] }) {
  if (reranker.status !== "fallback") return null;
  const text = reranker.reason === "locale"
    ? "Smart ranking does not cover this language yet, so these results are ranked by the words they share with your search."
    : "Smart ranking is unavailable right now, so these results are ranked without it.";
  return (
    <p role="status" data-testid="reranker-note" className="mb-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      {text}
    </p>
  );
}

const TERM_LABELS: Record<string, string> = {
  keyword: "Keyword match",
  semantic: "Meaning match",
  phrasing: "Matches how customers ask",
  rerank: "Reranker",
  instruction: "Preset instruction",
  request_instruction: "Your instruction",
};

function WhyThisResult({ explain, score }: { explain: SearchResponse["results"][number]["explain"]; score: number }) {
  const terms = Object.entries(explain).filter(([, t]) => t && "weight" in t && "value" in t && t.weight > 0) as [string, { value: number; weight: number; contribution: number }][];
  const boosts = explain.boosts?.applied ?? [];
  return (
    <details className="mt-2 text-xs text-slate-500">
      <summary className="cursor-pointer select-none">Why this result?</summary>
      <table className="mt-1">
        <tbody>
          {terms.map(([name, t]) => (
            <tr key={name}>
              <td className="pr-3">{TERM_LABELS[name] ?? name}</td>
              <td className="pr-3 tabular-nums">{t.value.toFixed(2)} × {t.weight}</td>
              <td className="tabular-nums">= {t.contribution.toFixed(3)}</td>
            </tr>
          ))}
          {boosts.map((b) => (
            <tr key={`${b.kind}:${b.value}`}>
              <td className="pr-3">Preset boost ({b.kind} {b.value})</td>
              <td className="pr-3 tabular-nums">{b.weight > 0 ? "+" : ""}{b.weight}{explain.boosts?.gated ? " (not relevant enough to apply)" : ""}</td>
              <td className="tabular-nums">= {b.contribution.toFixed(3)}</td>
            </tr>
          ))}
          {explain.freshness ? (
            <tr>
              <td className="pr-3">Freshness ({explain.freshness.age_days} days old)</td>
              <td className="pr-3 tabular-nums">{explain.freshness.decay.toFixed(2)} × {explain.freshness.weight}</td>
              <td className="tabular-nums">= {explain.freshness.contribution.toFixed(3)}</td>
            </tr>
          ) : null}
          <tr className="font-medium text-slate-700">
            <td className="pr-3">Score</td>
            <td />
            <td className="tabular-nums">{score.toFixed(3)}</td>
          </tr>
        </tbody>
      </table>
      {explain.phrasing?.matched && explain.phrasing.value > 0 ? (
        <p className="mt-1">Closest customer question: “{explain.phrasing.matched}”</p>
      ) : null}
    </details>
  );
}

function Browse({ categories, basePath }: { categories: { category: string; count: number }[]; basePath: string }) {
  return (
    <section aria-label="Browse topics" className="mt-8">
      <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-500">Browse topics</h2>
      <ul className="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-3">
        {categories.map((c) => (
          <li key={c.category}>
            <Link to={`${basePath}?category=${c.category}`} className="block rounded-md border border-slate-200 bg-white px-3 py-2 text-sm hover:border-indigo-300">
              {humanize(c.category)} <span className="text-slate-400">({c.count})</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Listing({ category, listing }: { category: string; listing: SearchPageData["listing"] }) {
  return (
    <section aria-label={`${humanize(category)} articles`} className="mt-8">
      <h2 className="text-lg font-semibold">{humanize(category)}</h2>
      <ul className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {listing.map((a) => (
          <li key={a.slug} lang={a.locale === "zh" ? "zh-CN" : "en"}>
            <Link to={`/articles/${a.slug}`} className="block px-4 py-2 text-indigo-700 hover:bg-slate-50">
              {a.title}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function pageUrl(basePath: string, search: string, result: SearchResponse, page: number): string {
  return searchUrl(basePath, search, { offset: String((page - 1) * result.limit) });
}

/** The current search with some parameters changed; `undefined` removes one. */
function searchUrl(basePath: string, search: string, changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) params.delete(name);
    else params.set(name, value);
  }
  return `${basePath}?${params}`;
}

