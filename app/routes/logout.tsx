import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { readFormWithCsrf, signOut } from "~/auth/auth.server";

/** POST /logout (with the CSRF token): ends the server-side session. */
export async function action({ request }: ActionFunctionArgs) {
  await readFormWithCsrf(request.clone());
  return signOut(request);
}

export function loader() {
  return redirect("/");
}
