import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import { readFormWithCsrf, requireUser } from "~/auth/auth.server";
import { changePasswordSchema } from "~/auth/auth-schemas";
import { getServices } from "~/services.server";
import { useSchemaForm } from "~/ui/use-schema-form";
import { buttonClass, Field, FieldErrors } from "~/ui/field";

export const meta: MetaFunction = () => [{ title: "Change password — HelpRank" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return Response.json({ email: user.email });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormWithCsrf(request);
  const submission = parseWithZod(formData, { schema: changePasswordSchema });
  const hideFields = ["currentPassword", "newPassword", "confirmPassword"];
  if (submission.status !== "success") return Response.json({ result: submission.reply({ hideFields }) }, { status: 400 });
  const { users, sessions } = await getServices();
  if (!(await users.checkPassword(user.id, submission.value.currentPassword))) {
    return Response.json({ result: submission.reply({ fieldErrors: { currentPassword: ["That is not your current password"] }, hideFields }) }, { status: 400 });
  }
  await users.setPassword(user.id, submission.value.newPassword);
  sessions.deleteForUser(user.id, user.sessionId); // other devices must sign in again
  return Response.json({ result: submission.reply({ resetForm: true }), changed: true });
}

export default function ChangePasswordRoute() {
  const actionData = useActionData<typeof action>() as { result?: never; changed?: boolean } | undefined;
  const [form, fields] = useSchemaForm("change-password", changePasswordSchema, actionData?.result);
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold tracking-tight">Change password</h1>
      {actionData?.changed ? (
        <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">
          Password changed. Your other sessions have been signed out.
        </p>
      ) : null}
      <Form method="post" className="mt-6 space-y-3 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" {...getFormProps(form)}>
        <AuthenticityTokenInput />
        <Field label="Current password" field={fields.currentPassword} type="password" autoComplete="current-password" />
        <Field label="New password" field={fields.newPassword} type="password" autoComplete="new-password" hint="At least 12 characters." />
        <Field label="Repeat new password" field={fields.confirmPassword} type="password" autoComplete="new-password" />
        <FieldErrors id={form.errorId} errors={form.errors} />
        <button type="submit" className={`${buttonClass} w-full`}>Change password</button>
      </Form>
    </div>
  );
}
