import { Form, Link, useLocation, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import type { ConsoleData } from "~/agent/console.server";
import type { PageResultItem } from "~/search/search-page.server";
import { MAX_TICKET_LENGTH } from "~/search/ticket-query";
import { isPlainClick, sendEvent } from "./events-client";
import { ResultList, useOpenResult } from "./result-list";
import { ScoreExplanation } from "./score-explanation";

/** How long typing pauses before the console searches (search as you type). */
export const TYPE_DEBOUNCE_MS = 300;
/** A search typed and left alone this long counts as settled (an impression), like Enter. */
export const SETTLE_PAUSE_MS = 1500;

const REMOVED_LABELS: Record<string, string> = {
  greeting: "greeting",
  "sign-off": "sign-off",
  "order-number": "order number",
  email: "e-mail address",
  phone: "phone number",
  url: "link",
  "name-line": "name",
  filler: "pleasantry",
  number: "long number",
};

/** Plain text of a snippet the engine highlighted with <mark> (for pasting into a reply). */
export function snippetText(html: string): string {
  if (typeof DOMParser !== "undefined") return new DOMParser().parseFromString(html, "text/html").body.textContent?.trim() ?? "";
  return html.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").trim();
}

/** Text for a reply to a customer: a public article links to its help-center page; an internal one has no link a customer could open. */
export function answerSnippet(hit: PageResultItem, origin: string): string {
  const lines = [hit.title, snippetText(hit.snippet)];
  if (hit.audience === "public") lines.push(`${origin}/help/articles/${hit.slug}`);
  return lines.join("\n");
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

export function AgentConsole({ data }: { data: ConsoleData }) {
  const { q, filters, presets, categories, result, error, ticket } = data;
  const navigation = useNavigation();
  const submit = useSubmit();
  const navigate = useNavigate();
  const location = useLocation();
  const formRef = useRef<HTMLFormElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState(q);
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const [notice, setNotice] = useState(() => (new URLSearchParams(location.search).get("reported") === "1" ? "Reported: thanks, that search is marked as not found." : ""));
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const searching = navigation.state !== "idle" && navigation.location?.pathname === "/agent";
  const results = result?.results ?? [];
  const openResult = useOpenResult(result?.search_id ?? "", "agent");
  // Was the search on screen started by typing (a prefix until a pause) or asked for (Enter, a filter, a page)?
  const typed = useRef(false);
  const settleTimer = useRef<ReturnType<typeof setTimeout>>();

  // A prefix becomes an impression after a pause of SETTLE_PAUSE_MS, at once when it was asked for.
  useEffect(() => {
    clearTimeout(settleTimer.current);
    if (!result || result.settled) return;
    const settle = () => sendEvent({ kind: "settle", search_id: result.search_id, surface: "agent" });
    if (typed.current) settleTimer.current = setTimeout(settle, SETTLE_PAUSE_MS);
    else settle();
    return () => clearTimeout(settleTimer.current);
  }, [result]);

  // A new page of results (back/forward, a link, a ticket) shows its own query, unless the agent is typing.
  useEffect(() => {
    if (document.activeElement !== inputRef.current) setValue(q);
    setSelected(undefined);
  }, [q, result]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const searchNow = useCallback((byTyping = false) => {
    typed.current = byTyping;
    clearTimeout(timer.current);
    if (formRef.current) submit(formRef.current, { replace: true, preventScrollReset: true });
  }, [submit]);

  const copy = useCallback(async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setNotice(`${what} copied.`);
    } catch {
      setNotice(`Could not copy the ${what.toLowerCase()}: the browser refused access to the clipboard.`);
    }
  }, []);

  const focusResult = useCallback((index: number) => {
    setSelected(index);
    const link = document.querySelector<HTMLAnchorElement>(`#result-${index} h3 a`);
    link?.focus();
    link?.scrollIntoView({ block: "nearest" });
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === "/" && !isTyping(event.target)) {
        event.preventDefault();
        inputRef.current?.focus();
        inputRef.current?.select();
        return;
      }
      if (event.target === inputRef.current && event.key === "ArrowDown" && results.length) {
        event.preventDefault();
        focusResult(0);
        return;
      }
      if (isTyping(event.target) || !results.length) return;
      const current = selected ?? -1;
      if (event.key === "j" || event.key === "ArrowDown") {
        event.preventDefault();
        focusResult(Math.min(results.length - 1, current + 1));
      } else if (event.key === "k" || event.key === "ArrowUp") {
        event.preventDefault();
        if (current <= 0) inputRef.current?.focus();
        else focusResult(current - 1);
      } else if (event.key === "Enter" && selected !== undefined && !(event.target instanceof HTMLAnchorElement || event.target instanceof HTMLButtonElement)) {
        openResult(results[selected]!);
      } else if (event.key === "c" && selected !== undefined) {
        void copy(`${window.location.origin}${results[selected]!.url}`, "Link");
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [results, selected, focusResult, openResult, copy]);

  const activePreset = presets.find((p) => p.slug === result?.instruction.preset) ?? presets.find((p) => p.isDefault);
  const page = result ? Math.floor(result.offset / result.limit) + 1 : 1;
  const pages = result ? Math.max(1, Math.ceil(result.total / result.limit)) : 1;
  const pageHref = (n: number) => {
    const params = new URLSearchParams(location.search);
    params.set("offset", String((n - 1) * (result?.limit ?? 10)));
    return `/agent?${params}`;
  };

  return (
    <div>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Agent console</h1>
        <p className="text-xs text-slate-600">
          Keys: <kbd className="rounded border px-1">/</kbd> search · <kbd className="rounded border px-1">j</kbd>/<kbd className="rounded border px-1">k</kbd> or arrows move ·{" "}
          <kbd className="rounded border px-1">Enter</kbd> open · <kbd className="rounded border px-1">c</kbd> copy link
        </p>
      </div>
      <Form
        ref={formRef}
        method="get"
        action="/agent"
        role="search"
        aria-label="Search articles"
        className="mt-4 space-y-3"
        onSubmit={() => {
          // Enter or the button: asked for, so an impression at once.
          clearTimeout(timer.current);
          typed.current = false;
        }}
      >
        <div className="flex gap-2">
          <label htmlFor="q" className="sr-only">Search public and internal articles</label>
          <input
            ref={inputRef}
            id="q"
            name="q"
            type="search"
            value={value}
            onChange={(event) => {
              setValue(event.target.value);
              clearTimeout(timer.current);
              clearTimeout(settleTimer.current);
              timer.current = setTimeout(() => searchNow(true), TYPE_DEBOUNCE_MS);
            }}
            maxLength={500}
            placeholder="Search, or press / from anywhere"
            autoComplete="off"
            autoFocus
            aria-describedby="console-status"
            className="w-full min-w-0 rounded-md border border-slate-400 bg-white px-3 py-2 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-300"
          />
          <button type="submit" className="shrink-0 rounded-md bg-indigo-700 px-4 py-2 font-medium text-white shadow-sm hover:bg-indigo-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 focus-visible:ring-offset-2">
            Search
          </button>
        </div>
        <Filters data={data} onChange={() => searchNow()} />
      </Form>

      <details className="mt-3 rounded-lg border border-slate-200 bg-white p-3" open={Boolean(ticket)}>
        <summary className="cursor-pointer select-none text-sm font-medium text-slate-800">Ticket mode: paste a customer message</summary>
        <Form method="post" className="mt-2 space-y-2">
          <AuthenticityTokenInput />
          {Object.entries(filters).map(([name, v]) => (v ? <input key={name} type="hidden" name={name} value={v} /> : null))}
          <label htmlFor="ticket" className="block text-sm text-slate-700">
            The whole message (up to {MAX_TICKET_LENGTH} characters). Greetings, sign-offs, order numbers and contact details are left out of the search.
          </label>
          <textarea id="ticket" name="ticket" rows={5} maxLength={MAX_TICKET_LENGTH} required className="w-full rounded-md border border-slate-400 px-3 py-2 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-300" />
          <button type="submit" className="rounded-md border border-indigo-700 px-3 py-1.5 text-sm font-medium text-indigo-800 hover:bg-indigo-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600">
            Find articles for this message
          </button>
        </Form>
        {ticket ? (
          <div data-testid="ticket-query" className="mt-3 text-sm text-slate-800">
            <p>
              Searched for: <strong className="font-semibold">{ticket.query}</strong>
              {ticket.truncated ? " (shortened to fit the search)" : ""}
            </p>
            {ticket.removed.length ? (
              <p className="mt-1 text-slate-700">Left out: {[...new Set(ticket.removed.map((r) => REMOVED_LABELS[r.kind] ?? r.kind))].join(", ")}</p>
            ) : null}
          </div>
        ) : null}
      </details>

      {error ? (
        <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-red-800">{error}</p>
      ) : null}

      <div id="console-status" role="status" aria-live="polite" className="mt-4 text-sm text-slate-700" data-testid="result-summary">
        {result
          ? result.total === 0
            ? `No article fits “${result.corrected_query ?? result.query}”.`
            : `${result.total} article${result.total === 1 ? "" : "s"} for “${result.corrected_query ?? result.query}”`
          : ""}
        {notice ? <span className="ml-2 text-emerald-800" data-testid="copy-notice">{notice}</span> : null}
      </div>

      {result ? (
        <section aria-label="Results" aria-busy={searching} className={`transition-opacity ${searching ? "opacity-50" : ""}`} data-testid="console-results">
          <StatusBar result={result} presetName={activePreset?.name ?? result.instruction.preset ?? "none"} />
          {result.corrected_query ? (
            <p className="mt-2 text-sm text-slate-700" data-testid="correction-note">
              Showing results for <strong>{result.corrected_query}</strong>.{" "}
              <Link to={`/agent?${new URLSearchParams({ ...nonEmpty(filters), q: result.query, exact: "1" })}`} className="text-indigo-700 underline">Search instead for {result.query}</Link>
            </p>
          ) : null}
          <ResultList
            results={results}
            searchId={result.search_id}
            surface="agent"
            selected={selected}
            showAudience
            extra={(hit, i) => (
              <div className="mt-2 flex flex-wrap items-start gap-x-4">
                <button
                  type="button"
                  onClick={() => {
                    void copy(answerSnippet(hit, window.location.origin), "Answer snippet");
                    sendEvent({ kind: "used_in_reply", search_id: result.search_id, surface: "agent", slug: hit.slug, position: hit.position });
                  }}
                  className="text-xs font-medium text-indigo-800 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600"
                >
                  Copy answer snippet
                </button>
                <div className="min-w-0 flex-1" onFocus={() => setSelected(i)}>
                  <ScoreExplanation explain={hit.explain} score={hit.score} />
                </div>
              </div>
            )}
          />
          <NotFoundButton result={result} onReported={() => setNotice("Reported: thanks, this search is marked as not found.")} />
          {pages > 1 ? (
            <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm">
              {page > 1 ? <Link to={pageHref(page - 1)} className="text-indigo-700 underline">← Previous</Link> : <span />}
              <span className="text-slate-700">Page {page} of {pages}</span>
              {page < pages ? <Link to={pageHref(page + 1)} className="text-indigo-700 underline">Next →</Link> : <span />}
            </nav>
          ) : null}
        </section>
      ) : null}

      {!result && !error ? (
        <p className="mt-6 text-sm text-slate-700">
          Type to search public and internal articles; internal ones are marked and never reach customers. Active preset:{" "}
          <strong>{activePreset?.name ?? "none"}</strong>.
        </p>
      ) : null}
    </div>
  );
}

function nonEmpty(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v));
}

function Filters({ data, onChange }: { data: ConsoleData; onChange: () => void }) {
  const { filters, presets, categories } = data;
  const select = "rounded border border-slate-400 bg-white px-2 py-1 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600";
  return (
    <div className="flex flex-wrap gap-3 text-sm text-slate-800">
      <label className="flex items-center gap-1">
        Preset
        <select name="preset" defaultValue={filters.preset} onChange={onChange} className={select} key={`p${filters.preset}`}>
          {presets.map((p) => (
            <option key={p.slug} value={p.isDefault ? "" : p.slug}>
              {p.name}{p.isDefault ? " (default)" : ""}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1">
        Category
        <select name="category" defaultValue={filters.category} onChange={onChange} className={select} key={`c${filters.category}`}>
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c.category} value={c.category}>{c.name} ({c.count})</option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1">
        Language
        <select name="locale" defaultValue={filters.locale} onChange={onChange} className={select} key={`l${filters.locale}`}>
          <option value="">Query's language</option>
          <option value="en">English</option>
          <option value="zh">中文</option>
          <option value="all">All languages</option>
        </select>
      </label>
      <label className="flex items-center gap-1">
        Audience
        <select name="audience" defaultValue={filters.audience} onChange={onChange} className={select} key={`a${filters.audience}`}>
          <option value="">Public and internal</option>
          <option value="public">Public only</option>
          <option value="internal">Internal only</option>
        </select>
      </label>
    </div>
  );
}

/** The active preset, what ranked the results (and a visible note when it fell back), and timings. */
function StatusBar({ result, presetName }: { result: NonNullable<ConsoleData["result"]>; presetName: string }) {
  const { reranker, timings } = result;
  return (
    <div className="mt-2 space-y-2 text-xs text-slate-700" data-testid="status-bar">
      <p className="flex flex-wrap gap-x-4 gap-y-1">
        <span>
          Preset: <strong className="font-semibold">{presetName}</strong>
          {result.instruction.steering < 1 ? (
            <span data-testid="preset-steering" title="A preset decides what a short query leaves open; a specific question is steered less (docs/decisions/007)">
              {" "}(steers this query {Math.round(result.instruction.steering * 100)}%)
            </span>
          ) : null}
        </span>
        <span>
          Ranking: {reranker.name}
          {reranker.model ? ` (${reranker.model})` : ""} —{" "}
          <span data-testid="reranker-status" className={reranker.status === "fallback" ? "font-semibold text-amber-900" : ""}>{reranker.status}</span>
        </span>
        <span className="tabular-nums">{timings.total_ms} ms (retrieve {timings.retrieve_ms}, rerank {timings.rerank_ms})</span>
      </p>
      {reranker.status === "fallback" ? (
        <p data-testid="reranker-note" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {reranker.reason === "locale"
            ? "The reranker does not cover this language: results are in keyword order."
            : `The reranker failed (${reranker.reason ?? "error"}${reranker.message ? `: ${reranker.message}` : ""}): results are in keyword order.`}
        </p>
      ) : null}
    </div>
  );
}

/** One click marks the search as "not found" (a beacon; without JavaScript the link logs it and comes back). */
function NotFoundButton({ result, onReported }: { result: NonNullable<ConsoleData["result"]>; onReported: () => void }) {
  const [reported, setReported] = useState(false);
  useEffect(() => setReported(false), [result.search_id]);
  return (
    <p className="mt-4 text-sm">
      <Link
        to={result.report_href}
        data-testid="not-found-button"
        aria-disabled={reported || undefined}
        className="rounded-md border border-slate-400 px-3 py-1.5 font-medium text-slate-800 hover:border-indigo-600 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600"
        onClick={(event) => {
          if (!isPlainClick(event)) return;
          event.preventDefault();
          if (reported) return;
          sendEvent({ id: result.report_event_id, kind: "not_found", search_id: result.search_id, surface: "agent" });
          setReported(true);
          onReported();
        }}
      >
        {reported ? "Reported as not found" : "I didn't find what I need"}
      </Link>
    </p>
  );
}
