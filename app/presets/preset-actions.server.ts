import { parseWithZod } from "@conform-to/zod";
import { redirect } from "@remix-run/node";
import type { SessionUser } from "~/auth/sessions.server";
import type { Surface } from "~/search/search-request";
import { getServices } from "~/services.server";
import { presetFormSchema } from "./preset-schema";
import { PresetError } from "./presets.server";
import { previewPreset } from "./preview.server";

/**
 * The editor's submit: `intent=preview` ranks with the draft and saves nothing; `intent=save`
 * creates the preset or a new version of it.
 */
export async function handlePresetForm(formData: FormData, admin: SessionUser, existingSlug?: string): Promise<Response> {
  const services = await getServices();
  const submission = parseWithZod(formData, { schema: presetFormSchema });
  const previewQuery = String(formData.get("previewQuery") ?? "").trim().slice(0, 500);
  const previewSurface: Surface = formData.get("previewSurface") === "agent" ? "agent" : "help";
  if (submission.status !== "success") {
    return Response.json({ result: submission.reply(), preview: null, previewQuery, previewSurface }, { status: 400 });
  }
  if (formData.get("intent") === "preview") {
    if (!previewQuery) {
      return Response.json({ result: submission.reply({ formErrors: ["Type a query to preview."] }), preview: null, previewQuery, previewSurface }, { status: 400 });
    }
    const preview = await previewPreset(services, { query: previewQuery, surface: previewSurface, savedSlug: existingSlug, draft: submission.value });
    return Response.json({ result: submission.reply(), preview, previewQuery, previewSurface });
  }
  try {
    const saved = existingSlug
      ? services.presets.update(existingSlug, submission.value, admin.email)
      : services.presets.create(submission.value, admin.email);
    return redirect(`/admin/presets/${saved.slug}?saved=${saved.version}`);
  } catch (error) {
    if (error instanceof PresetError) {
      const reply = error.field ? submission.reply({ fieldErrors: { [error.field]: [error.message] } }) : submission.reply({ formErrors: [error.message] });
      return Response.json({ result: reply, preview: null, previewQuery, previewSurface }, { status: 400 });
    }
    throw error;
  }
}
