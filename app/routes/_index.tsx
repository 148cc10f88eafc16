import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { loadSearchPage } from "~/search/search-page.server";
import { SearchPage, type SearchPageData } from "~/ui/search-page";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const q = (data as SearchPageData | undefined)?.q;
  return [
    { title: q ? `${q} — Voltaro Help Center` : "Voltaro Help Center" },
    { name: "description", content: "Search Voltaro's help articles." },
  ];
};

/** The customer help center: public articles only, whoever asks. */
export async function loader({ request }: LoaderFunctionArgs) {
  return loadSearchPage(request, { surface: "help", basePath: "/", access: { internal: false } });
}

export default function HelpSearchRoute() {
  return <SearchPage data={useLoaderData<typeof loader>() as SearchPageData} />;
}
