import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { SLUG_PATTERN } from "~/articles/article-schema";
import { articleView, type ArticleView } from "~/articles/article-view.server";
import { requireUser } from "~/auth/auth.server";
import { getServices } from "~/services.server";
import { ArticleBody } from "~/ui/article-body";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${(data as ArticleView).title} — Agent console` : "Article not found — Agent console" },
];

/** An article as agents read it: public or internal, with links to both kinds. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  await requireUser(request);
  const services = await getServices();
  const slug = params.slug ?? "";
  const article = SLUG_PATTERN.test(slug) ? services.store.getBySlug(slug) : undefined;
  if (!article) throw new Response("We couldn't find that article.", { status: 404, statusText: "Not Found" });
  return Response.json(articleView(services, article, ["public", "internal"]) satisfies ArticleView);
}

export default function AgentArticlePage() {
  const article = useLoaderData<typeof loader>() as ArticleView;
  const [copied, setCopied] = useState("");
  // Customers get the public address; an internal article has none.
  const shareUrl = (origin: string) => `${origin}${article.audience === "public" ? `/help/articles/${article.slug}` : `/agent/articles/${article.slug}`}`;
  return (
    <article lang={article.locale === "zh" ? "zh-CN" : "en"}>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-700" lang="en">
        <Link to="/agent" className="underline hover:text-indigo-700">Agent console</Link> ›{" "}
        <Link to={`/agent?category=${article.category.slug}&q=${encodeURIComponent(article.category.name)}`} className="underline hover:text-indigo-700">{article.category.name}</Link>
      </nav>
      <h1 className="mt-2 text-3xl font-semibold tracking-tight">{article.title}</h1>
      <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-700" lang="en">
        <span>Updated {article.updated}</span>
        {article.audience === "internal" ? (
          <span data-testid="internal-badge" className="rounded bg-amber-100 px-1.5 text-xs font-semibold uppercase text-amber-900">Internal — agents only, never send to a customer</span>
        ) : (
          <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-700">Public</span>
        )}
        {article.translation ? (
          <Link to={`/agent/articles/${article.translation.slug}`} className="text-indigo-700 underline" data-testid="translation-link">
            {article.translation.locale === "zh" ? "中文版" : "English version"}
          </Link>
        ) : null}
        <button
          type="button"
          className="text-indigo-800 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600"
          onClick={() => {
            navigator.clipboard.writeText(shareUrl(window.location.origin)).then(
              () => setCopied("Link copied."),
              () => setCopied("The browser refused access to the clipboard."),
            );
          }}
        >
          Copy link
        </button>
        <span role="status" aria-live="polite" className="text-emerald-800">{copied}</span>
      </p>
      <ArticleBody article={article} articleHref={(slug) => `/agent/articles/${slug}`} labels={{ onThisPage: "On this page", related: "Related articles" }} />
    </article>
  );
}
