import { Link } from "@remix-run/react";
import type { ExperimentReport, Interval } from "~/events/experiments.server";

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const signedPct = (v: number) => `${v >= 0 ? "+" : "−"}${Math.abs(v * 100).toFixed(1)}`;
const range = (i: Interval, f: (v: number) => string) => `${f(i.low)} to ${f(i.high)}`;

/** Each experiment's arms side by side: CTR and MRR with 95% intervals, the lift, and what it does not prove. */
export function ExperimentResults({ experiments }: { experiments: ExperimentReport[] }) {
  return (
    <section aria-labelledby="experiments-heading" data-testid="experiments">
      <div className="flex items-baseline justify-between">
        <h2 id="experiments-heading" className="text-lg font-semibold">A/B tests</h2>
        <Link to="/admin/experiments" className="text-sm text-indigo-700 underline">Manage experiments</Link>
      </div>
      {experiments.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No experiment ran in this range.</p>
      ) : (
        experiments.map((r) => (
          <article key={r.experiment.id} className="mt-3 rounded-lg border border-slate-200 bg-white p-4" data-testid={`experiment-${r.experiment.id}`}>
            <h3 className="font-medium">
              {r.experiment.name} <span className="text-sm font-normal text-slate-600">({r.experiment.surface}, {Math.round(r.experiment.splitB * 100)}% of sessions on B, {r.experiment.stoppedAt ? "stopped" : "running"})</span>
            </h3>
            <div className="mt-2 overflow-x-auto">
              <table className="w-full text-left text-sm">
                <thead className="text-xs uppercase text-slate-600">
                  <tr>
                    <th scope="col" className="py-1 pr-3">Arm</th>
                    <th scope="col" className="py-1 pr-3 text-right">Sessions</th>
                    <th scope="col" className="py-1 pr-3 text-right">Searches</th>
                    <th scope="col" className="py-1 pr-3 text-right">First-click CTR (95% CI)</th>
                    <th scope="col" className="py-1 text-right">MRR (95% CI)</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-200">
                  {r.arms.map((a) => (
                    <tr key={a.arm}>
                      <th scope="row" className="py-1 pr-3 font-normal">{a.arm}: <code>{a.preset}</code></th>
                      <td className="py-1 pr-3 text-right tabular-nums">{a.sessions}</td>
                      <td className="py-1 pr-3 text-right tabular-nums">{a.searches}</td>
                      <td className="py-1 pr-3 text-right tabular-nums">{pct(a.ctr.value)} <span className="text-slate-600">({range(a.ctr, pct)})</span></td>
                      <td className="py-1 text-right tabular-nums">{a.mrr.value.toFixed(3)} <span className="text-slate-600">({range(a.mrr, (v) => v.toFixed(3))})</span></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="mt-2 text-sm" data-testid="experiment-verdict">
              CTR B − A: <strong>{signedPct(r.ctrDifference.value)} points</strong> ({range(r.ctrDifference, signedPct)})
              {r.ctrDifference.lift !== null ? `, lift ${signedPct(r.ctrDifference.lift)}%` : ""}.{" "}
              {r.ctrDifference.significant ? (
                <span className="font-medium text-emerald-800">The interval excludes 0: a significant difference at the 95% level.</span>
              ) : (
                <span className="font-medium text-amber-900">Not significant: the interval includes 0, so this could be chance.</span>
              )}{" "}
              MRR B − A: {r.mrrDifference.value >= 0 ? "+" : "−"}{Math.abs(r.mrrDifference.value).toFixed(3)} ({r.mrrDifference.significant ? "significant" : "not significant"}).
            </p>
            <p className="mt-1 text-xs text-slate-600">
              Intervals: {r.bootstrapSamples} bootstrap resamples of sessions (a session's searches are not independent). Decide the
              sample size before starting and read the result once: looking every day and stopping at the first significant day
              overstates the effect and finds “wins” that are chance.
            </p>
          </article>
        ))
      )}
    </section>
  );
}
