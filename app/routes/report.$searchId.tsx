import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportRedirect } from "~/events/redirect-events.server";
import { getServices } from "~/services.server";

/** "I didn't find what I need" on both surfaces: logs the report, then moves on. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return reportRedirect(await getServices(), request, params.searchId);
}

export default function ReportRedirect() {
  return null;
}
