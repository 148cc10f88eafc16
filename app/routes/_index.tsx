import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

/** The help center lives at /help; old links to /?q=… keep their search. */
export function loader({ request }: LoaderFunctionArgs) {
  return redirect(`/help${new URL(request.url).search}`);
}
