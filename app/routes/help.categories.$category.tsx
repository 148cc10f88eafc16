import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SLUG_PATTERN } from "~/articles/article-schema";
import type { ArticleSummary } from "~/articles/store.server";
import { contactHref } from "~/help/help-pages.server";
import { getServices } from "~/services.server";
import { ContactLink, HelpFrame, HelpSearchForm, helpHref } from "~/ui/help-center";
import { HELP_STRINGS, helpLang, type HelpLang } from "~/ui/help-strings";

interface CategoryPageData {
  lang: HelpLang;
  category: { slug: string; name: string; description: string };
  articles: ArticleSummary[];
  contactHref: string;
}

export const meta: MetaFunction<typeof loader> = ({ data: raw }) => {
  const data = raw as CategoryPageData | undefined;
  const t = HELP_STRINGS[data?.lang ?? "en"];
  return [{ title: data ? `${data.category.name} — ${t.siteName}` : t.siteName }];
};

/** One topic of the help center: its public articles in the page's language. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const lang = helpLang(new URL(request.url).searchParams.get("lang"));
  const slug = params.category ?? "";
  const services = await getServices();
  const articles = SLUG_PATTERN.test(slug) ? services.store.listCategory(slug, ["public"], lang) : [];
  if (!articles.length) {
    throw new Response(lang === "zh" ? "没有这个主题。" : "We couldn't find that topic.", { status: 404, statusText: "Not Found" });
  }
  return Response.json({
    lang,
    category: services.categories.label(slug, lang),
    articles,
    contactHref: contactHref(services, lang),
  } satisfies CategoryPageData);
}

export default function HelpCategoryPage() {
  const { lang, category, articles, contactHref: contact } = useLoaderData<typeof loader>() as CategoryPageData;
  const t = HELP_STRINGS[lang];
  const other = lang === "en" ? "zh" : "en";
  return (
    <HelpFrame lang={lang} switchHref={helpHref(`/help/categories/${category.slug}`, other)}>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-700">
        <Link to={helpHref("/help", lang)} className="underline hover:text-indigo-700">{t.home}</Link> › <span aria-current="page">{category.name}</span>
      </nav>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">{category.name}</h1>
      {category.description ? <p className="mt-1 text-slate-700">{category.description}</p> : null}
      <HelpSearchForm lang={lang} q="" category={category.slug} />
      <ul className="mt-6 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="category-articles">
        {articles.map((a) => (
          <li key={a.slug}>
            <Link to={`/help/articles/${a.slug}`} className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3 text-indigo-700 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-600">
              <span className="font-medium">{a.title}</span>
              <span className="text-xs text-slate-600">{t.updated(a.updated)}</span>
            </Link>
          </li>
        ))}
      </ul>
      <ContactLink lang={lang} href={contact} />
    </HelpFrame>
  );
}
