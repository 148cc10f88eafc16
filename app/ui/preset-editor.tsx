import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import type { PresetPreview, PreviewRow } from "~/presets/preview.server";
import { BOOST_SCALE } from "~/search/fusion";
import { formatBoosts, MAX_PRESET_INSTRUCTION, presetFormSchema, type PresetInput } from "~/presets/preset-schema";
import { buttonClass, Field, FieldErrors } from "./field";

const inputClass = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

/**
 * The preset form (one zod schema in the browser and on the server) with a preview beside it:
 * "Preview" runs the draft without saving; "Save" makes a new version.
 */
export function PresetEditor({
  preset,
  isNew,
  lastResult,
  preview,
  previewQuery,
  previewSurface,
}: {
  preset: PresetInput;
  isNew: boolean;
  lastResult?: SubmissionResult<string[]>;
  preview?: PresetPreview | null;
  previewQuery?: string;
  previewSurface?: string;
}) {
  const [form, fields] = useForm({
    id: "preset",
    lastResult,
    constraint: getZodConstraint(presetFormSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: {
      slug: preset.slug,
      name: preset.name,
      instruction: preset.instruction ?? "",
      boosts: formatBoosts(preset.boosts),
      freshnessHalfLifeDays: preset.freshness?.halfLifeDays?.toString() ?? "",
      freshnessWeight: preset.freshness?.weight?.toString() ?? "",
      enabled: preset.enabled ? "on" : undefined,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: presetFormSchema }),
  });
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)]">
      <Form method="post" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" {...getFormProps(form)}>
        <AuthenticityTokenInput />
        <Field label="Name" field={fields.name} autoComplete="off" />
        {isNew ? (
          <Field label="Slug" field={fields.slug} autoComplete="off" hint="Stable id used in URLs and the API (preset=…), e.g. shipping-status-first." />
        ) : (
          <input {...getInputProps(fields.slug, { type: "hidden" })} key={fields.slug.key} />
        )}
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Surfaces</legend>
          <div className="mt-1 flex gap-4 text-sm">
            {(["help", "agent"] as const).map((surface) => (
              <label key={surface} className="flex items-center gap-1">
                <input type="checkbox" name={fields.surfaces.name} value={surface} defaultChecked={preset.surfaces.includes(surface)} />
                {surface === "help" ? "Help center" : "Agent console"}
              </label>
            ))}
          </div>
          <FieldErrors id={fields.surfaces.errorId} errors={fields.surfaces.errors} />
        </fieldset>
        <div>
          <label htmlFor={fields.instruction.id} className="block text-sm font-medium text-slate-700">Instruction</label>
          <textarea {...getTextareaProps(fields.instruction)} key={fields.instruction.key} rows={4} maxLength={MAX_PRESET_INSTRUCTION} className={inputClass} />
          <p className="text-xs text-slate-500">Natural language, up to {MAX_PRESET_INSTRUCTION} characters. Read by the reranking model.</p>
          <FieldErrors id={fields.instruction.errorId} errors={fields.instruction.errors} />
        </div>
        <div>
          <label htmlFor={fields.boosts.id} className="block text-sm font-medium text-slate-700">Boosts</label>
          <textarea {...getTextareaProps(fields.boosts)} key={fields.boosts.key} rows={6} className={`${inputClass} font-mono text-xs`} placeholder={"category:shipping +0.5\narticle:return-policy -0.3"} />
          <p className="text-xs text-slate-500">One per line: <code>category:</code>, <code>tag:</code> or <code>article:</code> then a weight from -1 to 1. +0.5 adds {0.5 * BOOST_SCALE} to the score of a result that fits the query when the query says little ("package"), and a small share of that when it asks something specific (docs/decisions/007).</p>
          <FieldErrors id={fields.boosts.errorId} errors={fields.boosts.errors} />
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Freshness half-life (days)" field={fields.freshnessHalfLifeDays} autoComplete="off" />
          <Field label="Freshness weight (0–1)" field={fields.freshnessWeight} autoComplete="off" />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name={fields.enabled.name} defaultChecked={preset.enabled} /> Enabled
        </label>
        <FieldErrors id={form.errorId} errors={form.errors} />
        <fieldset className="rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium text-slate-700">Preview</legend>
          <div className="flex flex-wrap gap-2">
            <label className="sr-only" htmlFor="previewQuery">Preview query</label>
            <input id="previewQuery" name="previewQuery" defaultValue={previewQuery ?? ""} placeholder="a query to try, e.g. my package" className={`${inputClass} mt-0 flex-1`} />
            <label className="sr-only" htmlFor="previewSurface">Preview surface</label>
            <select id="previewSurface" name="previewSurface" defaultValue={previewSurface ?? "help"} className="rounded-md border border-slate-300 bg-white px-2">
              <option value="help">Help center</option>
              <option value="agent">Agent console</option>
            </select>
            <button type="submit" name="intent" value="preview" className="rounded-md border border-indigo-600 px-3 py-2 text-indigo-700 hover:bg-indigo-50">Preview</button>
          </div>
        </fieldset>
        <button type="submit" name="intent" value="save" className={buttonClass}>{isNew ? "Create preset" : "Save new version"}</button>
      </Form>
      <section aria-label="Preview" className="min-w-0">
        {preview ? <PreviewColumns preview={preview} /> : <p className="text-sm text-slate-500">Type a query and press Preview to compare keyword order, the saved preset and this draft side by side, before saving.</p>}
      </section>
    </div>
  );
}

function PreviewColumns({ preview }: { preview: PresetPreview }) {
  const columns: [string, PreviewRow[] | null][] = [
    ["Keyword order", preview.keyword],
    ["Saved preset", preview.saved],
    ["Draft", preview.draft],
  ];
  return (
    <div>
      <p className="mb-2 text-sm text-slate-600">
        “{preview.query}” on the {preview.surface === "help" ? "help center" : "agent console"}.{" "}
        <span data-testid="preview-steering">
          {preview.steering === null ? null : preview.steering >= 1
            ? "The query says little: the preset steers it fully."
            : `The query is specific: the preset steers it ${Math.round(preview.steering * 100)}%.`}
        </span>
      </p>
      <div className="grid gap-3 md:grid-cols-3">
        {columns.map(([title, rows]) => (
          <div key={title} data-testid={`preview-${title.split(" ")[0]!.toLowerCase()}`} className="rounded-lg border border-slate-200 bg-white p-2">
            <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">{title}</h3>
            {rows === null ? <p className="mt-2 text-xs text-slate-500">Not saved for this surface yet.</p> : (
              <ol className="mt-2 space-y-1 text-xs">
                {rows.map((r, i) => (
                  <li key={r.slug} className="flex items-baseline gap-1">
                    <span className="w-4 shrink-0 text-right tabular-nums text-slate-500">{i + 1}.</span>
                    <span className="min-w-0 flex-1 truncate" title={r.slug}>{r.title}{r.audience === "internal" ? " (internal)" : ""}</span>
                    <span className="tabular-nums text-slate-500">{r.score.toFixed(2)}</span>
                    <RankChange change={r.change} />
                  </li>
                ))}
              </ol>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}

function RankChange({ change }: { change: number | null }) {
  if (change === null) return <span className="w-8 text-right text-indigo-700" title="not in the keyword top 10">new</span>;
  if (change === 0) return <span className="w-8 text-right text-slate-500" aria-label="same place">·</span>;
  return change > 0
    ? <span className="w-8 text-right text-green-700" aria-label={`up ${change}`}>▲+{change}</span>
    : <span className="w-8 text-right text-red-700" aria-label={`down ${-change}`}>▼{change}</span>;
}
