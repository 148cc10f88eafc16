import type { LoaderFunctionArgs } from "@remix-run/node";
import { clickRedirect } from "~/events/redirect-events.server";
import { getServices } from "~/services.server";

/** Result links of both surfaces: logs the click (no JavaScript needed) and opens the article. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return clickRedirect(await getServices(), request, params.searchId, params.position);
}

// A page module (not a resource route), so the app's client-side navigation follows the redirect.
export default function ClickRedirect() {
  return null;
}
