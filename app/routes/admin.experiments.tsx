import { getFormProps, getInputProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import { z } from "zod";
import { readFormWithCsrf, requireAdmin } from "~/auth/auth.server";
import { createExperimentSchema } from "~/events/experiment-schema";
import { ExperimentConflictError, type Experiment } from "~/events/experiments.server";
import { getServices } from "~/services.server";
import { buttonClass, Field, FieldErrors } from "~/ui/field";
import { useSchemaForm } from "~/ui/use-schema-form";

export const meta: MetaFunction = () => [{ title: "Experiments — HelpRank admin" }];

const stopSchema = z.object({ intent: z.literal("stop"), id: z.coerce.number().int().positive() });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const { experiments, presets } = await getServices();
  const available = presets.list().filter((p) => p.enabled).map((p) => ({ slug: p.slug, name: p.name, surfaces: p.surfaces }));
  return Response.json({ experiments: experiments.list(), presets: available });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const formData = await readFormWithCsrf(request);
  const { experiments, presets } = await getServices();
  if (formData.get("intent") === "stop") {
    const stop = stopSchema.safeParse(Object.fromEntries(formData));
    if (!stop.success || !experiments.stop(stop.data.id)) return Response.json({ error: "No running experiment with that id." }, { status: 400 });
    return Response.json({ stopped: stop.data.id });
  }
  const submission = await parseWithZod(formData, {
    schema: createExperimentSchema.superRefine((v, ctx) => {
      for (const key of ["presetA", "presetB"] as const) {
        const preset = presets.get(v[key]);
        if (!preset || !preset.enabled) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `No enabled preset ${v[key]}` });
        else if (!preset.surfaces.includes(v.surface)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `${preset.name} is not available on the ${v.surface} surface` });
      }
    }),
    async: true,
  });
  if (submission.status !== "success") return Response.json({ result: submission.reply() }, { status: 400 });
  const { name, surface, presetA, presetB, splitPercent } = submission.value;
  try {
    const created = experiments.create({ name, surface, presetA, presetB, splitB: splitPercent / 100, createdBy: admin.email });
    return Response.json({ result: submission.reply({ resetForm: true }), created: created.name });
  } catch (error) {
    if (error instanceof ExperimentConflictError) return Response.json({ result: submission.reply({ formErrors: [error.message] }) }, { status: 400 });
    throw error;
  }
}

interface Data {
  experiments: Experiment[];
  presets: { slug: string; name: string; surfaces: string[] }[];
}

export default function ExperimentsRoute() {
  const { experiments, presets } = useLoaderData<typeof loader>() as Data;
  const actionData = useActionData<typeof action>() as { result?: never; created?: string; stopped?: number; error?: string } | undefined;
  const [form, fields] = useSchemaForm("create-experiment", createExperimentSchema, actionData?.result);
  const select = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2";
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-semibold tracking-tight">Experiments</h1>
        <p className="mt-1 text-sm text-slate-700">
          A/B tests of presets: each session of a surface keeps one arm (a stable hash). An explicit <code>preset=</code> still wins.
          Results are on the <Link to="/admin/analytics" className="text-indigo-700 underline">analytics</Link> page.
        </p>
        {actionData?.error ? <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{actionData.error}</p> : null}
        {actionData?.stopped ? <p role="status" className="mt-3 text-sm text-green-800">Stopped.</p> : null}
        <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-600">
              <tr>
                <th className="px-3 py-2">Name</th><th className="px-3 py-2">Surface</th><th className="px-3 py-2">A</th><th className="px-3 py-2">B</th>
                <th className="px-3 py-2 text-right">On B</th><th className="px-3 py-2">Started</th><th className="px-3 py-2">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {experiments.length === 0 ? (
                <tr><td colSpan={7} className="px-3 py-3 text-slate-600">No experiments yet.</td></tr>
              ) : (
                experiments.map((e) => (
                  <tr key={e.id} data-testid={`experiment-row-${e.id}`}>
                    <td className="px-3 py-2">{e.name}</td>
                    <td className="px-3 py-2">{e.surface}</td>
                    <td className="px-3 py-2"><code>{e.presetA}</code></td>
                    <td className="px-3 py-2"><code>{e.presetB}</code></td>
                    <td className="px-3 py-2 text-right tabular-nums">{Math.round(e.splitB * 100)}%</td>
                    <td className="px-3 py-2">{e.startedAt.slice(0, 16).replace("T", " ")}</td>
                    <td className="px-3 py-2">
                      {e.stoppedAt ? `Stopped ${e.stoppedAt.slice(0, 10)}` : (
                        <Form method="post" className="flex items-center gap-2">
                          <AuthenticityTokenInput />
                          <input type="hidden" name="id" value={e.id} />
                          <span className="text-emerald-800">Running</span>
                          <button type="submit" name="intent" value="stop" className="text-indigo-700 underline">Stop <span className="sr-only">{e.name}</span></button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="new-experiment">
        <h2 id="new-experiment" className="text-lg font-semibold">Start an experiment</h2>
        {actionData?.created ? <p role="status" className="mt-2 text-sm text-green-800">Started {actionData.created}.</p> : null}
        <Form method="post" className="mt-3 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2" {...getFormProps(form)}>
          <AuthenticityTokenInput />
          <Field label="Name" field={fields.name} autoComplete="off" />
          <div>
            <label htmlFor={fields.surface.id} className="block text-sm font-medium text-slate-700">Surface</label>
            <select {...getSelectProps(fields.surface)} key={fields.surface.key} defaultValue="help" className={select}>
              <option value="help">Help center</option>
              <option value="agent">Agent console</option>
            </select>
            <FieldErrors id={fields.surface.errorId} errors={fields.surface.errors} />
          </div>
          {(["presetA", "presetB"] as const).map((key) => (
            <div key={key}>
              <label htmlFor={fields[key].id} className="block text-sm font-medium text-slate-700">Preset {key === "presetA" ? "A (control)" : "B (challenger)"}</label>
              <select {...getSelectProps(fields[key])} key={fields[key].key} defaultValue="" className={select}>
                <option value="" disabled>Choose a preset</option>
                {presets.map((p) => (
                  <option key={p.slug} value={p.slug}>{p.name} ({p.surfaces.join(", ")})</option>
                ))}
              </select>
              <FieldErrors id={fields[key].errorId} errors={fields[key].errors} />
            </div>
          ))}
          <div>
            <label htmlFor={fields.splitPercent.id} className="block text-sm font-medium text-slate-700">Sessions on B (%)</label>
            <input {...getInputProps(fields.splitPercent, { type: "number" })} key={fields.splitPercent.key} defaultValue="50" className={select} />
            <FieldErrors id={fields.splitPercent.errorId} errors={fields.splitPercent.errors} />
          </div>
          <FieldErrors id={form.errorId} errors={form.errors} />
          <div className="sm:col-span-2">
            <button type="submit" name="intent" value="create" className={buttonClass}>Start experiment</button>
          </div>
        </Form>
      </section>
    </div>
  );
}
