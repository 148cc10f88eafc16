import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SLUG_PATTERN } from "~/articles/article-schema";
import { getUser } from "~/auth/auth.server";
import { audiencesFor } from "~/search/pipeline.server";
import { getServices } from "~/services.server";
import { humanize } from "~/ui/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} — Voltaro Help Center` : "Article not found — Voltaro Help Center" },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const { store } = await getServices();
  const article = SLUG_PATTERN.test(slug) ? store.getBySlug(slug) : undefined;
  // Internal articles are indistinguishable from missing ones for anyone not signed in as an agent.
  const signedIn = Boolean(await getUser(request));
  if (!article || !audiencesFor(signedIn ? "agent" : "help", { internal: signedIn }).includes(article.audience)) {
    throw new Response("We couldn't find that article.", { status: 404, statusText: "Not Found" });
  }
  return {
    slug: article.slug,
    title: article.title,
    category: article.category,
    locale: article.locale,
    updated: article.updated,
    tags: article.tags,
    audience: article.audience,
    html: article.bodyHtml,
  };
}

export default function ArticlePage() {
  const article = useLoaderData<typeof loader>();
  return (
    <article lang={article.locale === "zh" ? "zh-CN" : "en"}>
      <nav className="text-sm text-slate-500">
        <Link to="/" className="hover:underline">Help Center</Link> ›{" "}
        <Link to={`/?category=${article.category}`} className="hover:underline">{humanize(article.category)}</Link>
      </nav>
      <h1 className="mt-2 text-3xl font-semibold tracking-tight">{article.title}</h1>
      <p className="mt-1 text-sm text-slate-500">
        Updated {article.updated}
        {article.audience === "internal" ? <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs font-semibold uppercase text-amber-900">Internal — agents only</span> : null}
      </p>
      {/* bodyHtml was sanitised when the article was imported (app/articles/markdown.server.ts). */}
      <div className="prose prose-slate mt-6 max-w-none rounded-lg bg-white p-6 shadow-sm" dangerouslySetInnerHTML={{ __html: article.html }} />
    </article>
  );
}
