import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { SLUG_PATTERN } from "~/articles/article-schema";
import { getUser } from "~/auth/auth.server";

/** Old article links: agents read in the console, everyone else in the help center (which hides internal ones). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  // "..", "%2e%2e" and the like name no article: a 404 here, not a redirect the browser resolves to another page.
  if (!SLUG_PATTERN.test(slug)) throw new Response("We couldn't find that article.", { status: 404, statusText: "Not Found" });
  return redirect((await getUser(request)) ? `/agent/articles/${slug}` : `/help/articles/${slug}`);
}
