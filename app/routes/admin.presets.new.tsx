import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { readFormWithCsrf, requireAdmin } from "~/auth/auth.server";
import { handlePresetForm } from "~/presets/preset-actions.server";
import type { PresetPreview } from "~/presets/preview.server";
import { PresetEditor } from "~/ui/preset-editor";

export const meta: MetaFunction = () => [{ title: "New preset — HelpRank admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  return handlePresetForm(await readFormWithCsrf(request), admin);
}

export default function NewPresetRoute() {
  const data = useActionData<typeof action>() as { result?: SubmissionResult<string[]>; preview?: PresetPreview | null; previewQuery?: string; previewSurface?: string } | undefined;
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">New preset</h1>
      <PresetEditor
        isNew
        preset={{ slug: "", name: "", surfaces: ["help"], instruction: null, boosts: [], freshness: null, enabled: true }}
        lastResult={data?.result}
        preview={data?.preview}
        previewQuery={data?.previewQuery}
        previewSurface={data?.previewSurface}
      />
    </div>
  );
}
