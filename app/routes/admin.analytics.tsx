import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireAdmin } from "~/auth/auth.server";
import { parseAnalyticsParams, rangeOf, type AnalyticsParams, type QuerySort } from "~/events/analytics-params";
import { analyticsReport, type AnalyticsReport, type QueryRow } from "~/events/analytics.server";
import { experimentReports, type ExperimentReport } from "~/events/experiments.server";
import { getServices } from "~/services.server";
import { DailyChart, FirstClickChart } from "~/ui/analytics-charts";
import { ExperimentResults } from "~/ui/experiment-results";

export const meta: MetaFunction = () => [{ title: "Analytics — HelpRank admin" }];

interface AnalyticsData {
  params: AnalyticsParams | null;
  error: string | null;
  report: AnalyticsReport | null;
  experiments: ExperimentReport[];
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const parsed = parseAnalyticsParams(new URL(request.url).searchParams);
  if (!parsed.ok) return Response.json({ params: null, error: parsed.message, report: null, experiments: [] } satisfies AnalyticsData, { status: 400 });
  const services = await getServices();
  const range = rangeOf(parsed.params);
  return Response.json({
    params: parsed.params,
    error: null,
    report: analyticsReport(services.db, range),
    experiments: experimentReports(services, range),
  } satisfies AnalyticsData);
}

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);

export default function AnalyticsRoute() {
  const { params, error, report, experiments } = useLoaderData<typeof loader>() as AnalyticsData;
  const location = useLocation();
  const csvHref = `/admin/analytics.csv${location.search}`;
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Analytics</h1>
        <Form method="get" className="flex flex-wrap items-end gap-3 text-sm" aria-label="Date range and surface">
          <label className="flex flex-col gap-1">
            From
            <input type="date" name="from" defaultValue={params?.from} required className="rounded-md border border-slate-400 px-2 py-1" />
          </label>
          <label className="flex flex-col gap-1">
            To
            <input type="date" name="to" defaultValue={params?.to} required className="rounded-md border border-slate-400 px-2 py-1" />
          </label>
          <label className="flex flex-col gap-1">
            Surface
            <select name="surface" defaultValue={params?.surface ?? "all"} className="rounded-md border border-slate-400 px-2 py-1">
              <option value="all">Both</option>
              <option value="help">Help center</option>
              <option value="agent">Agent console</option>
            </select>
          </label>
          <button type="submit" className="rounded-md bg-indigo-700 px-3 py-1.5 font-medium text-white hover:bg-indigo-800">Show</button>
          {report ? (
            <a href={csvHref} className="rounded-md border border-slate-400 px-3 py-1.5 text-slate-800 underline-offset-2 hover:underline" download>
              Export CSV
            </a>
          ) : null}
        </Form>
      </div>
      {error ? <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-red-800">{error}</p> : null}
      {report && params ? (
        <>
          <section aria-labelledby="headline-heading">
            <h2 id="headline-heading" className="sr-only">Headline figures</h2>
            <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="headline">
              <Figure label="Searches" value={report.searches.toLocaleString("en")} note="settled searches (typing prefixes excluded)" />
              <Figure label="First-click CTR" value={pct(report.firstClickCtr)} note="searches whose first click is on a result" />
              <Figure label="“Not found” rate" value={pct(report.notFoundRate)} note="searches followed by “I didn't find what I need”" />
              <Figure label="MRR of the first click" value={report.firstClickMrr.toFixed(3)} note="1 / rank of the first click; 0 without one" />
              <Figure label="Zero-result rate" value={pct(report.zeroResultRate)} note="searches where nothing fitted" />
              <Figure label="Abandonment" value={pct(report.abandonmentRate)} note="results shown, nothing clicked, copied or reported" />
              <Figure label="“Not helpful”" value={pct(report.notHelpfulRate)} note={`of ${report.helpfulAnswers} “Was this helpful?” answers`} />
              <Figure label="Reranker fallback" value={pct(report.rerankerFallbackRate)} note={`latency p50 ${report.latencyP50} ms · p95 ${report.latencyP95} ms`} />
            </dl>
          </section>
          <section aria-label="Charts" className="grid gap-6 rounded-lg border border-slate-200 bg-white p-4 lg:grid-cols-[2fr_1fr]">
            <DailyChart daily={report.daily} />
            <FirstClickChart positions={report.firstClickPositions} />
          </section>
          <ExperimentResults experiments={experiments} />
          <QueryTable title="Top queries" testId="top-queries" rows={report.topQueries} params={params} />
          <div className="grid gap-6 lg:grid-cols-2">
            <QueryTable title="Top queries with no result" testId="top-zero-result" rows={report.topZeroResultQueries} params={params} />
            <QueryTable title="Top queries with no click" testId="top-no-click" rows={report.topNoClickQueries} params={params} />
          </div>
        </>
      ) : null}
    </div>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</dd>
      <dd className="mt-1 text-xs text-slate-600">{note}</dd>
    </div>
  );
}

const COLUMNS: { key: QuerySort; label: string; numeric: boolean }[] = [
  { key: "query", label: "Query", numeric: false },
  { key: "searches", label: "Searches", numeric: true },
  { key: "ctr", label: "CTR", numeric: true },
  { key: "zeroResults", label: "No result", numeric: true },
];

/** Sorted on the server from the URL (`sort`, `dir`), so the headers are plain links that work without JavaScript. */
function QueryTable({ title, testId, rows, params }: { title: string; testId: string; rows: QueryRow[]; params: AnalyticsParams }) {
  const sorted = [...rows].sort((a, b) => {
    const d = params.sort === "query" ? a.query.localeCompare(b.query) : a[params.sort] - b[params.sort];
    return params.dir === "asc" ? d : -d;
  });
  const href = (key: QuerySort) => {
    const next = new URLSearchParams({ from: params.from, to: params.to, surface: params.surface, sort: key });
    next.set("dir", params.sort === key && params.dir === "desc" ? "asc" : "desc");
    return `?${next}`;
  };
  return (
    <section aria-labelledby={`${testId}-heading`} data-testid={testId}>
      <h2 id={`${testId}-heading`} className="text-lg font-semibold">{title}</h2>
      {rows.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">None in this range.</p>
      ) : (
        <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-600">
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    aria-sort={params.sort === c.key ? (params.dir === "asc" ? "ascending" : "descending") : undefined}
                    className={`px-3 py-2 ${c.numeric ? "text-right" : ""}`}
                  >
                    <Link to={href(c.key)} preventScrollReset className="text-slate-700 underline-offset-2 hover:underline">
                      {c.label}
                      {params.sort === c.key ? (params.dir === "asc" ? " ▲" : " ▼") : ""}
                    </Link>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {sorted.map((r) => (
                <tr key={r.query}>
                  <td className="max-w-xs truncate px-3 py-2" title={r.query}>{r.query}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{r.searches}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{pct(r.ctr)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{pct(r.zeroResults)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
