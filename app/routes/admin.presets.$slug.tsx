import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { diffLines } from "diff";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import { readFormWithCsrf, requireAdmin } from "~/auth/auth.server";
import { handlePresetForm } from "~/presets/preset-actions.server";
import { stripMeta } from "~/presets/preset-schema";
import type { Preset, PresetVersion } from "~/presets/presets.server";
import { PresetError } from "~/presets/presets.server";
import type { PresetPreview } from "~/presets/preview.server";
import { getServices } from "~/services.server";
import { PresetEditor } from "~/ui/preset-editor";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${(data as { preset?: Preset } | undefined)?.preset?.name ?? "Preset"} — HelpRank admin` }];

async function loadPreset(slug: string | undefined) {
  const preset = slug ? (await getServices()).presets.get(slug) : undefined;
  if (!preset) throw new Response("There is no preset with that slug.", { status: 404, statusText: "Not Found" });
  return preset;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const preset = await loadPreset(params.slug);
  const versions = (await getServices()).presets.versions(preset.slug);
  return Response.json({ preset, versions });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const preset = await loadPreset(params.slug);
  const formData = await readFormWithCsrf(request);
  if (formData.get("intent") === "rollback") {
    const version = Number(formData.get("version"));
    try {
      const saved = (await getServices()).presets.rollback(preset.slug, version, admin.email);
      return redirect(`/admin/presets/${saved.slug}?saved=${saved.version}`);
    } catch (error) {
      if (error instanceof PresetError) return Response.json({ error: error.message }, { status: 400 });
      throw error;
    }
  }
  return handlePresetForm(formData, admin, preset.slug);
}

type ActionData = { result?: SubmissionResult<string[]>; preview?: PresetPreview | null; previewQuery?: string; previewSurface?: string; error?: string };

export default function EditPresetRoute() {
  const { preset, versions } = useLoaderData<typeof loader>() as { preset: Preset; versions: PresetVersion[] };
  const data = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const saved = searchParams.get("saved");
  return (
    <div className="space-y-8">
      <div>
        <Link to="/admin/presets" className="text-sm text-indigo-700 hover:underline">← All presets</Link>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">{preset.name}</h1>
        <p className="text-sm text-slate-500">{preset.slug} · version {preset.version}{preset.defaultFor.length ? ` · default for ${preset.defaultFor.join(" and ")}` : ""}</p>
        {saved ? <p role="status" className="mt-3 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">Saved as version {saved}.</p> : null}
        {data?.error ? <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{data.error}</p> : null}
      </div>
      <PresetEditor
        key={preset.version}
        isNew={false}
        preset={stripMeta(preset)}
        lastResult={data?.result}
        preview={data?.preview}
        previewQuery={data?.previewQuery}
        previewSurface={data?.previewSurface}
      />
      <History versions={versions} current={preset.version} />
    </div>
  );
}

function History({ versions, current }: { versions: PresetVersion[]; current: number }) {
  return (
    <section aria-labelledby="history">
      <h2 id="history" className="text-lg font-semibold">History</h2>
      <ol className="mt-3 space-y-3">
        {versions.map((v, i) => {
          const previous = versions[i + 1];
          return (
            <li key={v.version} data-testid={`version-${v.version}`} className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <span><strong>v{v.version}</strong> {v.action} {v.author ? `by ${v.author}` : ""} · {v.createdAt.slice(0, 16).replace("T", " ")} UTC</span>
                {v.version !== current && v.action !== "deleted" ? (
                  <Form method="post">
                    <AuthenticityTokenInput />
                    <input type="hidden" name="version" value={v.version} />
                    <button type="submit" name="intent" value="rollback" className="text-indigo-700 underline">Roll back to v{v.version}</button>
                  </Form>
                ) : v.version === current ? <span className="text-xs text-slate-500">current</span> : null}
              </div>
              {previous ? <Diff before={previous.snapshot} after={v.snapshot} /> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** What changed from one version to the next, line by line. */
function Diff({ before, after }: { before: unknown; after: unknown }) {
  const parts = diffLines(JSON.stringify(before, null, 2), JSON.stringify(after, null, 2)).filter((p) => p.added || p.removed);
  if (!parts.length) return <p className="mt-1 text-xs text-slate-500">No change in content.</p>;
  return (
    <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-2 text-xs leading-5">
      {parts.map((p, i) => (
        <span key={i} className={p.added ? "block bg-green-50 text-green-900" : "block bg-red-50 text-red-900"}>
          {p.value.replace(/\n$/, "").split("\n").map((line) => `${p.added ? "+ " : "- "}${line}`).join("\n")}
        </span>
      ))}
    </pre>
  );
}
