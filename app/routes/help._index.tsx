import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { limitPageSearch } from "~/auth/request-limits.server";
import { pageSession, withSessionCookie } from "~/events/visitor.server";
import { contactHref, helpTopics } from "~/help/help-pages.server";
import { PUBLIC_ACCESS } from "~/search/pipeline.server";
import { searchForPage, type PageResult } from "~/search/search-page.server";
import { getServices } from "~/services.server";
import { HelpFrame, HelpResults, HelpSearchForm, TopicTiles, helpHref, type TopicTile } from "~/ui/help-center";
import { HELP_STRINGS, helpLang, type HelpLang } from "~/ui/help-strings";

export const meta: MetaFunction<typeof loader> = ({ data: raw }) => {
  const data = raw as HelpHomeData | undefined;
  const t = HELP_STRINGS[data?.lang ?? "en"];
  return [
    { title: data?.q ? `${data.q} — ${t.siteName}` : t.siteName },
    { name: "description", content: t.heading },
  ];
};

/** The customer help center: public articles only, whoever asks (the route decides, not the URL). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const lang = helpLang(url.searchParams.get("lang"));
  const services = await getServices();
  const q = url.searchParams.get("q") ?? "";
  const base = { lang, q, topics: helpTopics(services, lang), contactHref: contactHref(services, lang) };
  if (!q.trim()) return Response.json({ ...base, result: null, error: null });
  const params = new URLSearchParams(url.searchParams);
  params.delete("lang");
  await limitPageSearch(request, context);
  const session = await pageSession(request);
  // Every help-center search is asked for (Enter, a button or a link): each one is an impression.
  const { result, error } = await searchForPage(services, params, { surface: "help", access: PUBLIC_ACCESS, labelLocale: lang, session, settled: true });
  return Response.json({ ...base, result, error }, { status: error ? 400 : 200, headers: withSessionCookie(session) });
}

interface HelpHomeData {
  lang: HelpLang;
  q: string;
  topics: TopicTile[];
  contactHref: string;
  result: PageResult | null;
  error: string | null;
}

export default function HelpHome() {
  const data = useLoaderData<typeof loader>() as HelpHomeData;
  const { lang, q, topics, result, error } = data;
  const t = HELP_STRINGS[lang];
  const location = useLocation();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/help";
  return (
    <HelpFrame lang={lang} switchHref={helpHref("/help", lang === "en" ? "zh" : "en", { q: q || undefined })}>
      <h1 className="text-2xl font-semibold tracking-tight">{t.heading}</h1>
      <HelpSearchForm lang={lang} q={q} autoFocus={!q} />
      {error ? (
        <p role="alert" className="mt-6 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-red-800">
          {t.searchError} {error}
        </p>
      ) : null}
      {result ? (
        <HelpResults lang={lang} result={result} topics={topics} contactHref={data.contactHref} search={location.search} searching={searching} />
      ) : null}
      {!result && !error ? <TopicTiles lang={lang} topics={topics} /> : null}
    </HelpFrame>
  );
}
