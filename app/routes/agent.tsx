import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/auth.server";
import { loadSearchPage } from "~/search/search-page.server";
import { SearchPage, type SearchPageData } from "~/ui/search-page";

export const meta: MetaFunction = () => [{ title: "Agent search — HelpRank" }];

/** The agent surface: signed-in agents and admins, public and internal articles. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return loadSearchPage(request, { surface: "agent", basePath: "/agent", access: { internal: true } });
}

export default function AgentSearchRoute() {
  return <SearchPage data={useLoaderData<typeof loader>() as SearchPageData} />;
}
