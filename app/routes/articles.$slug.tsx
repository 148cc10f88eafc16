import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/auth.server";

/** Old article links: agents read in the console, everyone else in the help center (which hides internal ones). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = encodeURIComponent(params.slug ?? "");
  return redirect((await getUser(request)) ? `/agent/articles/${slug}` : `/help/articles/${slug}`);
}
