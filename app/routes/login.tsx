import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import { clientAddress, getUser, readFormWithCsrf, safeRedirect, signIn } from "~/auth/auth.server";
import { loginSchema } from "~/auth/auth-schemas";
import { attemptLogin } from "~/auth/login.server";
import { useSchemaForm } from "~/ui/use-schema-form";
import { buttonClass, Field, FieldErrors } from "~/ui/field";

export const meta: MetaFunction = () => [{ title: "Sign in — HelpRank" }];

const landingFor = (role: string) => (role === "admin" ? "/admin" : "/agent");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), landingFor(user.role)));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormWithCsrf(request);
  const submission = parseWithZod(formData, { schema: loginSchema });
  if (submission.status !== "success") {
    return Response.json({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const outcome = await attemptLogin(email, password, clientAddress(context));
  if (outcome.ok) return signIn(outcome.user.id, safeRedirect(redirectTo, landingFor(outcome.user.role)));
  if (outcome.reason === "rate_limited") {
    const minutes = Math.ceil(outcome.retryAfterS / 60);
    return Response.json(
      { result: submission.reply({ formErrors: [`Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`], hideFields: ["password"] }) },
      { status: 429, headers: { "Retry-After": String(outcome.retryAfterS) } },
    );
  }
  return Response.json({ result: submission.reply({ formErrors: ["Wrong e-mail address or password."], hideFields: ["password"] }) }, { status: 400 });
}

export default function LoginRoute() {
  const actionData = useActionData<typeof action>() as { result?: never } | undefined;
  const [searchParams] = useSearchParams();
  const [form, fields] = useSchemaForm("login", loginSchema, actionData?.result);
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-1 text-sm text-slate-600">For Voltaro support agents and admins. Customers do not need an account to search.</p>
      <Form method="post" className="mt-6 space-y-3 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" {...getFormProps(form)}>
        <AuthenticityTokenInput />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field label="E-mail address" field={fields.email} type="email" autoComplete="username" />
        <Field label="Password" field={fields.password} type="password" autoComplete="current-password" />
        <div role="alert">
          <FieldErrors id={form.errorId} errors={form.errors} />
        </div>
        <button type="submit" className={`${buttonClass} w-full`}>Sign in</button>
      </Form>
    </div>
  );
}
