import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { AnalyticsReport } from "~/events/analytics.server";

const percent = (v: number) => `${Math.round(v * 100)}%`;

/**
 * Searches per day (bars, left axis) and first-click CTR and "not found" rate (lines, right axis).
 * A fixed size renders the same SVG on the server and in the browser; the box scrolls on phones.
 */
export function DailyChart({ daily }: { daily: AnalyticsReport["daily"] }) {
  return (
    <figure className="overflow-x-auto" data-testid="daily-chart">
      <figcaption className="text-sm font-medium text-slate-800">Searches per day, first-click CTR and “not found” rate</figcaption>
      <ComposedChart width={720} height={260} data={daily} margin={{ top: 12, right: 12, bottom: 4, left: 0 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="day" tick={{ fontSize: 11, fill: "#334155" }} tickFormatter={(d: string) => d.slice(5)} />
        <YAxis yAxisId="count" allowDecimals={false} tick={{ fontSize: 11, fill: "#334155" }} />
        <YAxis yAxisId="rate" orientation="right" domain={[0, 1]} tickFormatter={percent} tick={{ fontSize: 11, fill: "#334155" }} />
        <Tooltip formatter={(value, name) => (name === "Searches" ? value : percent(Number(value)))} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar yAxisId="count" dataKey="searches" name="Searches" fill="#c7d2fe" isAnimationActive={false} />
        <Line yAxisId="rate" type="monotone" dataKey="ctr" name="First-click CTR" stroke="#4338ca" strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line yAxisId="rate" type="monotone" dataKey="notFound" name="Not found" stroke="#be123c" strokeWidth={2} dot={false} isAnimationActive={false} />
      </ComposedChart>
    </figure>
  );
}

/** Where the first click of a search lands: rank 1, 2, … 10, 11+. */
export function FirstClickChart({ positions }: { positions: AnalyticsReport["firstClickPositions"] }) {
  return (
    <figure className="overflow-x-auto" data-testid="first-click-chart">
      <figcaption className="text-sm font-medium text-slate-800">Rank of the first click</figcaption>
      <BarChart width={360} height={220} data={positions} margin={{ top: 12, right: 8, bottom: 4, left: 0 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="rank" tick={{ fontSize: 11, fill: "#334155" }} />
        <YAxis tickFormatter={percent} tick={{ fontSize: 11, fill: "#334155" }} />
        <Tooltip formatter={(value) => percent(Number(value))} />
        <Bar dataKey="share" name="Share of first clicks" fill="#4f46e5" isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}
