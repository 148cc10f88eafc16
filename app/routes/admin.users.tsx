import { getFormProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import { z } from "zod";
import { readFormWithCsrf, requireAdmin } from "~/auth/auth.server";
import { createUserSchema } from "~/auth/auth-schemas";
import { DuplicateEmailError, type User } from "~/auth/users.server";
import { getServices } from "~/services.server";
import { useSchemaForm } from "~/ui/use-schema-form";
import { buttonClass, Field, FieldErrors } from "~/ui/field";

export const meta: MetaFunction = () => [{ title: "Users — HelpRank admin" }];

const toggleSchema = z.object({ intent: z.enum(["disable", "enable"]), userId: z.coerce.number().int().positive() });

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request);
  const { users } = await getServices();
  return Response.json({ users: users.list(), me: admin.id });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const formData = await readFormWithCsrf(request);
  const { users } = await getServices();
  if (formData.get("intent") === "create") {
    const submission = parseWithZod(formData, { schema: createUserSchema });
    if (submission.status !== "success") return Response.json({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
    try {
      const user = await users.create(submission.value);
      return Response.json({ result: submission.reply({ resetForm: true }), created: user.email });
    } catch (error) {
      if (error instanceof DuplicateEmailError) {
        return Response.json({ result: submission.reply({ fieldErrors: { email: [error.message] }, hideFields: ["password"] }) }, { status: 400 });
      }
      throw error;
    }
  }
  const toggle = toggleSchema.safeParse(Object.fromEntries(formData));
  if (!toggle.success) return Response.json({ error: "Unknown action." }, { status: 400 });
  if (toggle.data.userId === admin.id) return Response.json({ error: "You cannot disable your own account." }, { status: 400 });
  if (!users.byId(toggle.data.userId)) return Response.json({ error: "No such user." }, { status: 404 });
  users.setDisabled(toggle.data.userId, toggle.data.intent === "disable");
  return Response.json({ changed: toggle.data.userId });
}

export default function AdminUsersRoute() {
  const { users, me } = useLoaderData<typeof loader>() as { users: User[]; me: number };
  const actionData = useActionData<typeof action>() as { result?: never; created?: string; error?: string } | undefined;
  const [form, fields] = useSchemaForm("create-user", createUserSchema, actionData?.result);
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
        {actionData?.error ? <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{actionData.error}</p> : null}
        <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-600">
              <tr><th className="px-3 py-2">Name</th><th className="px-3 py-2">E-mail</th><th className="px-3 py-2">Role</th><th className="px-3 py-2">Status</th><th className="px-3 py-2"><span className="sr-only">Actions</span></th></tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {users.map((u) => (
                <tr key={u.id} data-testid={`user-${u.email}`}>
                  <td className="px-3 py-2">{u.name}</td>
                  <td className="px-3 py-2">{u.email}</td>
                  <td className="px-3 py-2">{u.role}</td>
                  <td className="px-3 py-2">
                    {u.disabled ? <span className="text-red-700">Disabled</span> : "Active"}
                    {u.demoPassword ? <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs text-amber-900">demo password</span> : null}
                  </td>
                  <td className="px-3 py-2 text-right">
                    {u.id === me ? <span className="text-xs text-slate-500">you</span> : (
                      <Form method="post">
                        <AuthenticityTokenInput />
                        <input type="hidden" name="userId" value={u.id} />
                        <button type="submit" name="intent" value={u.disabled ? "enable" : "disable"} className="text-indigo-700 underline">
                          {u.disabled ? "Enable" : "Disable"} <span className="sr-only">{u.email}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="mt-2 text-xs text-slate-500">Disabling a user signs them out everywhere at once.</p>
      </section>
      <section aria-labelledby="add-user">
        <h2 id="add-user" className="text-lg font-semibold">Add a user</h2>
        {actionData?.created ? <p role="status" className="mt-2 text-sm text-green-800">Added {actionData.created}.</p> : null}
        <Form method="post" className="mt-3 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2" {...getFormProps(form)}>
          <AuthenticityTokenInput />
          <Field label="Name" field={fields.name} autoComplete="off" />
          <Field label="E-mail address" field={fields.email} type="email" autoComplete="off" />
          <div>
            <label htmlFor={fields.role.id} className="block text-sm font-medium text-slate-700">Role</label>
            <select {...getSelectProps(fields.role)} key={fields.role.key} defaultValue="agent" className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2">
              <option value="agent">Agent</option>
              <option value="admin">Admin</option>
            </select>
            <FieldErrors id={fields.role.errorId} errors={fields.role.errors} />
          </div>
          <Field label="Initial password" field={fields.password} type="password" autoComplete="new-password" hint="At least 12 characters; they can change it after signing in." />
          <FieldErrors id={form.errorId} errors={form.errors} />
          <div className="sm:col-span-2">
            <button type="submit" name="intent" value="create" className={buttonClass}>Add user</button>
          </div>
        </Form>
      </section>
    </div>
  );
}
