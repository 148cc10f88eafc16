import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import { z } from "zod";
import { readFormWithCsrf, requireAdmin } from "~/auth/auth.server";
import { PresetError, type Preset } from "~/presets/presets.server";
import { getServices } from "~/services.server";
import { buttonClass } from "~/ui/field";

export const meta: MetaFunction = () => [{ title: "Presets — HelpRank admin" }];

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("set-default"), slug: z.string(), surface: z.enum(["help", "agent"]) }),
  z.object({ intent: z.literal("delete"), slug: z.string() }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return Response.json({ presets: (await getServices()).presets.list() });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await readFormWithCsrf(request)));
  if (!parsed.success) return Response.json({ error: "Unknown action." }, { status: 400 });
  const { presets } = await getServices();
  try {
    if (parsed.data.intent === "set-default") {
      presets.setDefault(parsed.data.surface, parsed.data.slug);
      return Response.json({ message: `${parsed.data.slug} is now the ${parsed.data.surface} default.` });
    }
    presets.delete(parsed.data.slug, admin.email);
    return Response.json({ message: `Deleted ${parsed.data.slug}.` });
  } catch (error) {
    if (error instanceof PresetError) return Response.json({ error: error.message }, { status: 400 });
    throw error;
  }
}

export default function PresetListRoute() {
  const { presets } = useLoaderData<typeof loader>() as { presets: Preset[] };
  const actionData = useActionData<typeof action>() as { message?: string; error?: string } | undefined;
  return (
    <div>
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold tracking-tight">Instruction presets</h1>
        <Link to="/admin/presets/new" className={buttonClass}>New preset</Link>
      </div>
      <p className="mt-1 text-sm text-slate-600">An instruction for the reranking model plus explainable boosts. Each surface uses its default unless a search names another preset (<code>preset=</code>).</p>
      {actionData?.message ? <p role="status" className="mt-3 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">{actionData.message}</p> : null}
      {actionData?.error ? <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{actionData.error}</p> : null}
      <ul className="mt-4 space-y-3">
        {presets.map((p) => (
          <li key={p.slug} data-testid={`preset-${p.slug}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <Link to={`/admin/presets/${p.slug}`} className="text-lg font-medium text-indigo-700 hover:underline">{p.name}</Link>
              <span className="text-xs text-slate-500">{p.slug} · v{p.version} · {p.updatedAt.slice(0, 10)}{p.updatedBy ? ` by ${p.updatedBy}` : ""}</span>
            </div>
            <div className="mt-1 flex flex-wrap gap-2 text-xs">
              {p.surfaces.map((s) => <span key={s} className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700">{s}</span>)}
              {p.defaultFor.map((s) => <span key={s} className="rounded bg-indigo-100 px-1.5 py-0.5 font-semibold text-indigo-900">default for {s}</span>)}
              {!p.enabled ? <span className="rounded bg-red-100 px-1.5 py-0.5 text-red-900">disabled</span> : null}
              <span className="text-slate-500">{p.boosts.length} boost{p.boosts.length === 1 ? "" : "s"}</span>
            </div>
            {p.instruction ? <p className="mt-2 line-clamp-2 text-sm text-slate-700">{p.instruction}</p> : <p className="mt-2 text-sm italic text-slate-500">No instruction.</p>}
            <div className="mt-2 flex flex-wrap gap-3 text-sm">
              {p.surfaces.filter((s) => !p.defaultFor.includes(s)).map((surface) => (
                <Form method="post" key={surface}>
                  <AuthenticityTokenInput />
                  <input type="hidden" name="slug" value={p.slug} />
                  <input type="hidden" name="surface" value={surface} />
                  <button type="submit" name="intent" value="set-default" className="text-indigo-700 underline">Make {surface} default</button>
                </Form>
              ))}
              {p.defaultFor.length === 0 ? (
                <Form method="post">
                  <AuthenticityTokenInput />
                  <input type="hidden" name="slug" value={p.slug} />
                  <button type="submit" name="intent" value="delete" className="text-red-700 underline">Delete <span className="sr-only">{p.name}</span></button>
                </Form>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
