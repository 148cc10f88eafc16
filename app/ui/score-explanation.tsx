import type { SearchResultItem } from "~/search/pipeline.server";

type Explain = SearchResultItem["explain"];

const TERM_LABELS = {
  keyword: "Keyword",
  semantic: "Meaning",
  phrasing: "Customer phrasing",
  rerank: "Reranker",
  instruction: "Preset instruction",
  request_instruction: "Your instruction",
} as const;

/** Why a preset term did not count, in words. */
const GATE_REASONS = {
  score: "not applied: the article is not relevant enough",
  coverage: "not applied: the article has less of the query's words than the best match",
} as const;

/** How much the preset steered this query, when it did not steer fully. */
function steered(steering: number | undefined): string {
  return steering !== undefined && steering < 1 ? ` × steering ${steering.toFixed(2)}` : "";
}

export interface ExplanationRow {
  key: string;
  label: string;
  contribution: number;
  /** How it was computed, e.g. "0.62 × 1". */
  detail: string;
  /** Did not count towards the score (a gated boost). */
  inactive?: boolean;
}

/** The score's parts in the order people read them: what matched, then what the preset added. */
export function explanationRows(explain: Explain): ExplanationRow[] {
  const rows: ExplanationRow[] = [];
  for (const key of Object.keys(TERM_LABELS) as (keyof typeof TERM_LABELS)[]) {
    const t = explain[key];
    if (!t || t.weight <= 0) continue;
    if (key === "instruction") {
      const preset = explain.instruction!;
      rows.push({
        key,
        label: TERM_LABELS[key],
        contribution: preset.contribution,
        detail: `${preset.value.toFixed(2)} × ${preset.weight}${preset.gated ? ` — ${GATE_REASONS[preset.gated]}` : steered(preset.steering)}`,
        inactive: Boolean(preset.gated),
      });
      continue;
    }
    rows.push({ key, label: TERM_LABELS[key], contribution: t.contribution, detail: `${t.value.toFixed(2)} × ${t.weight}` });
  }
  for (const b of explain.boosts?.applied ?? []) {
    rows.push({
      key: `boost:${b.kind}:${b.value}`,
      label: `Boost: ${b.kind} ${b.value}`,
      contribution: b.contribution,
      detail: `${b.weight > 0 ? "+" : ""}${b.weight}${explain.boosts?.gated ? ` — ${GATE_REASONS[explain.boosts.gated]}` : steered(explain.boosts?.steering)}`,
      inactive: Boolean(explain.boosts?.gated),
    });
  }
  if (explain.freshness) {
    rows.push({
      key: "freshness",
      label: "Freshness",
      contribution: explain.freshness.contribution,
      detail: `${explain.freshness.age_days} days old: ${explain.freshness.decay.toFixed(2)} × ${explain.freshness.weight}${explain.freshness.gated ? ` — ${GATE_REASONS[explain.freshness.gated]}` : steered(explain.freshness.steering)}`,
      inactive: Boolean(explain.freshness.gated),
    });
  }
  if (explain.clicks) {
    const c = explain.clicks;
    rows.push({
      key: "clicks",
      label: "Clicks",
      contribution: c.contribution,
      detail: `${c.clicks} of ${c.impressions} views clicked (${c.expected.toFixed(1)} expected at their positions): ${c.value.toFixed(2)} × ${c.weight}`,
      inactive: c.gated,
    });
  }
  return rows;
}

/**
 * "Why this result": one line per part of the score with a bar sized by its share, then the
 * total. Compact enough to sit under each result in the agent console.
 */
export function ScoreExplanation({ explain, score, open = false }: { explain: Explain; score: number; open?: boolean }) {
  const rows = explanationRows(explain);
  const largest = Math.max(0.0001, ...rows.map((r) => Math.abs(r.contribution)));
  return (
    <details className="mt-2 text-xs text-slate-700" open={open} data-testid="why-this-result">
      <summary className="cursor-pointer select-none rounded text-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600">
        Why this result? <span className="tabular-nums text-slate-600">score {score.toFixed(3)}</span>
      </summary>
      <div className="overflow-x-auto">
      <table className="mt-2 w-full max-w-md border-separate border-spacing-y-0.5">
        <caption className="sr-only">Parts of the score</caption>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className={row.inactive ? "text-slate-500 line-through decoration-slate-400" : ""}>
              <th scope="row" className="w-28 pr-2 text-left font-normal sm:w-40">{row.label}</th>
              <td className="hidden w-24 pr-2 sm:table-cell" aria-hidden="true">
                <span
                  className={`block h-2 rounded ${row.contribution < 0 ? "bg-rose-500" : "bg-indigo-500"}`}
                  style={{ width: `${Math.round((Math.abs(row.contribution) / largest) * 100)}%` }}
                />
              </td>
              <td className="pr-2 text-right tabular-nums">{row.contribution >= 0 ? "+" : "−"}{Math.abs(row.contribution).toFixed(3)}</td>
              <td className="break-words text-slate-600 [overflow-wrap:anywhere]">{row.detail}</td>
            </tr>
          ))}
          <tr className="font-semibold">
            <th scope="row" className="pr-2 text-left">Score</th>
            <td className="hidden sm:table-cell" />
            <td className="pr-2 text-right tabular-nums">{score.toFixed(3)}</td>
            <td />
          </tr>
        </tbody>
      </table>
      </div>
      {explain.phrasing?.matched && explain.phrasing.value > 0 ? (
        <p className="mt-1 text-slate-600">Closest customer question: “{explain.phrasing.matched}”</p>
      ) : null}
    </details>
  );
}
