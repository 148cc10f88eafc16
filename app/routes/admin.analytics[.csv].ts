import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth/auth.server";
import { parseAnalyticsParams, rangeOf } from "~/events/analytics-params";
import { loadSearchOutcomes, searchesCsv } from "~/events/analytics.server";
import { getServices } from "~/services.server";

/** GET /admin/analytics.csv?from&to&surface: one line per settled search of the range. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const parsed = parseAnalyticsParams(new URL(request.url).searchParams);
  if (!parsed.ok) return new Response(`${parsed.message}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const { db } = await getServices();
  const { from, to, surface } = parsed.params;
  return new Response(searchesCsv(loadSearchOutcomes(db, rangeOf(parsed.params))), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="helprank-searches-${surface}-${from}-to-${to}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
