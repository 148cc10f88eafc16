import { getFormProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import { z } from "zod";
import type { ApiKey } from "~/auth/api-keys.server";
import { readFormWithCsrf, requireAdmin } from "~/auth/auth.server";
import { createKeySchema } from "~/auth/auth-schemas";
import { getServices } from "~/services.server";
import { useSchemaForm } from "~/ui/use-schema-form";
import { buttonClass, Field, FieldErrors } from "~/ui/field";

export const meta: MetaFunction = () => [{ title: "API keys — HelpRank admin" }];

const revokeSchema = z.object({ intent: z.literal("revoke"), keyId: z.coerce.number().int().positive() });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return Response.json({ keys: (await getServices()).apiKeys.list() });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const formData = await readFormWithCsrf(request);
  const { apiKeys } = await getServices();
  if (formData.get("intent") === "create") {
    const submission = parseWithZod(formData, { schema: createKeySchema });
    if (submission.status !== "success") return Response.json({ result: submission.reply() }, { status: 400 });
    const { key, record } = apiKeys.create({ ...submission.value, createdBy: admin.id });
    // The only time the secret leaves the server: it is stored as a hash.
    return Response.json({ result: submission.reply({ resetForm: true }), created: { key, name: record.name, scope: record.scope } }, { headers: { "Cache-Control": "no-store" } });
  }
  const revoke = revokeSchema.safeParse(Object.fromEntries(formData));
  if (!revoke.success) return Response.json({ error: "Unknown action." }, { status: 400 });
  if (!apiKeys.revoke(revoke.data.keyId)) return Response.json({ error: "That key does not exist or is already revoked." }, { status: 404 });
  return Response.json({ revoked: revoke.data.keyId });
}

export default function AdminKeysRoute() {
  const { keys } = useLoaderData<typeof loader>() as { keys: ApiKey[] };
  const actionData = useActionData<typeof action>() as { result?: never; created?: { key: string; name: string; scope: string }; error?: string } | undefined;
  const [form, fields] = useSchemaForm("create-key", createKeySchema, actionData?.result);
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
        <p className="mt-1 text-sm text-slate-600">
          Integrations send <code>Authorization: Bearer &lt;key&gt;</code> to <code>/api/search</code> and <code>/v1/rerank</code>.
          A <strong>public</strong> key sees public articles only; an <strong>internal</strong> key may also search the agent surface.
        </p>
        {actionData?.created ? (
          <div role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-900">
            <p>Key “{actionData.created.name}” ({actionData.created.scope}) created. Copy it now: it will not be shown again.</p>
            <code data-testid="new-key" className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-slate-900">{actionData.created.key}</code>
          </div>
        ) : null}
        {actionData?.error ? <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{actionData.error}</p> : null}
        <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-600">
              <tr><th className="px-3 py-2">Name</th><th className="px-3 py-2">Key</th><th className="px-3 py-2">Scope</th><th className="px-3 py-2">Created</th><th className="px-3 py-2">Last used</th><th className="px-3 py-2"><span className="sr-only">Actions</span></th></tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {keys.length === 0 ? <tr><td colSpan={6} className="px-3 py-3 text-slate-500">No keys yet.</td></tr> : null}
              {keys.map((k) => (
                <tr key={k.id} data-testid={`key-${k.name}`}>
                  <td className="px-3 py-2">{k.name}</td>
                  <td className="px-3 py-2 font-mono text-xs">{k.prefix}…</td>
                  <td className="px-3 py-2">{k.scope}</td>
                  <td className="px-3 py-2 text-xs">{k.createdAt.slice(0, 10)}{k.createdBy ? ` by ${k.createdBy}` : ""}</td>
                  <td className="px-3 py-2 text-xs">{k.lastUsedAt?.slice(0, 16).replace("T", " ") ?? "never"}</td>
                  <td className="px-3 py-2 text-right">
                    {k.revokedAt ? <span className="text-red-700">Revoked</span> : (
                      <Form method="post">
                        <AuthenticityTokenInput />
                        <input type="hidden" name="keyId" value={k.id} />
                        <button type="submit" name="intent" value="revoke" className="text-indigo-700 underline">
                          Revoke <span className="sr-only">{k.name}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="new-key-heading">
        <h2 id="new-key-heading" className="text-lg font-semibold">Create a key</h2>
        <Form method="post" className="mt-3 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2" {...getFormProps(form)}>
          <AuthenticityTokenInput />
          <Field label="Name" field={fields.name} autoComplete="off" hint="e.g. the ticketing system that uses it" />
          <div>
            <label htmlFor={fields.scope.id} className="block text-sm font-medium text-slate-700">Scope</label>
            <select {...getSelectProps(fields.scope)} key={fields.scope.key} defaultValue="public" className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2">
              <option value="public">public — public articles only</option>
              <option value="internal">internal — agent surface too</option>
            </select>
            <FieldErrors id={fields.scope.errorId} errors={fields.scope.errors} />
          </div>
          <FieldErrors id={form.errorId} errors={form.errors} />
          <div className="sm:col-span-2">
            <button type="submit" name="intent" value="create" className={buttonClass}>Create key</button>
          </div>
        </Form>
      </section>
    </div>
  );
}
