import { getFormProps, getSelectProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import { readFormWithCsrf, requireAdmin } from "~/auth/auth.server";
import { playgroundSchema } from "~/presets/playground-schema";
import { scoreDocuments } from "~/rerank/rerank-api.server";
import { getServices } from "~/services.server";
import { useSchemaForm } from "~/ui/use-schema-form";
import { buttonClass, Field, FieldErrors } from "~/ui/field";

export const meta: MetaFunction = () => [{ title: "Rerank playground — HelpRank admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const services = await getServices();
  return Response.json({ configured: services.reranker ? `${services.reranker.name} (${services.reranker.model})` : null, encoder: services.embedder?.modelId ?? null });
}

interface Ranked {
  text: string;
  score: number;
  original: number;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request);
  const submission = parseWithZod(await readFormWithCsrf(request), { schema: playgroundSchema });
  if (submission.status !== "success") return Response.json({ result: submission.reply() }, { status: 400 });
  const { query, documents, instruction, reranker } = submission.value;
  const started = performance.now();
  const outcome = await scoreDocuments(await getServices(), query, documents, instruction, reranker);
  const ms = Math.round((performance.now() - started) * 10) / 10;
  if (!outcome.ok) return Response.json({ result: submission.reply({ formErrors: [outcome.message] }) }, { status: 503 });
  const ranked: Ranked[] = documents.map((text, i) => ({ text, score: outcome.scores[i]!, original: i + 1 })).sort((a, b) => b.score - a.score);
  return Response.json({ result: submission.reply(), ranked, ms, model: outcome.model, reranker: outcome.reranker });
}

export default function PlaygroundRoute() {
  const { configured, encoder } = useLoaderData<typeof loader>() as { configured: string | null; encoder: string | null };
  const data = useActionData<typeof action>() as { result?: SubmissionResult<string[]>; ranked?: Ranked[]; ms?: number; model?: string; reranker?: string } | undefined;
  const [form, fields] = useSchemaForm("playground", playgroundSchema, data?.result);
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Rerank playground</h1>
        <p className="mt-1 text-sm text-slate-600">Score up to 20 texts against a query, as the search does after recall.</p>
        <Form method="post" className="mt-4 space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" {...getFormProps(form)}>
          <AuthenticityTokenInput />
          <Field label="Query" field={fields.query} autoComplete="off" />
          <div>
            <label htmlFor={fields.documents.id} className="block text-sm font-medium text-slate-700">Documents (one per line, up to 20)</label>
            <textarea {...getTextareaProps(fields.documents)} key={fields.documents.key} rows={8} className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" />
            <FieldErrors id={fields.documents.errorId} errors={fields.documents.errors} />
          </div>
          <Field label="Instruction (optional)" field={fields.instruction} autoComplete="off" />
          <div>
            <label htmlFor={fields.reranker.id} className="block text-sm font-medium text-slate-700">Reranker</label>
            <select {...getSelectProps(fields.reranker)} key={fields.reranker.key} className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2">
              {configured ? <option value="configured">Configured second stage: {configured}</option> : <option value="configured">Embedded encoder{encoder ? ` (${encoder})` : ""}</option>}
              <option value="embedding">Embedded sentence encoder only</option>
            </select>
          </div>
          <FieldErrors id={form.errorId} errors={form.errors} />
          <button type="submit" className={buttonClass}>Rerank</button>
        </Form>
      </div>
      <section aria-label="Reranked documents" className="min-w-0">
        {data?.ranked ? (
          <div>
            <p className="text-sm text-slate-600" data-testid="playground-summary">{data.reranker} · {data.model} · {data.ms} ms</p>
            <ol className="mt-2 space-y-2">
              {data.ranked.map((r, i) => (
                <li key={r.original} className="rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="playground-row">
                  <div className="flex justify-between text-xs text-slate-500">
                    <span>#{i + 1} (was #{r.original}{r.original - 1 - i > 0 ? `, ▲+${r.original - 1 - i}` : r.original - 1 - i < 0 ? `, ▼${r.original - 1 - i}` : ""})</span>
                    <span className="tabular-nums">score {r.score.toFixed(4)}</span>
                  </div>
                  <p className="mt-1">{r.text}</p>
                </li>
              ))}
            </ol>
          </div>
        ) : <p className="mt-12 text-sm text-slate-500">The reranked list appears here with each document's score, its original position and the time taken.</p>}
      </section>
    </div>
  );
}
