import { Link } from "@remix-run/react";
import type { ArticleView } from "~/articles/article-view.server";

/** An article's table of contents, body and related links; the surfaces add the frame. */
export function ArticleBody({
  article,
  articleHref,
  labels,
}: {
  article: ArticleView;
  articleHref: (slug: string) => string;
  labels: { onThisPage: string; related: string };
}) {
  return (
    <>
      {article.toc.length > 1 ? (
        <nav aria-labelledby="toc-heading" className="mt-6 rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <h2 id="toc-heading" className="font-semibold text-slate-800">{labels.onThisPage}</h2>
          <ul className="mt-2 space-y-1">
            {article.toc.map((entry) => (
              <li key={entry.id}>
                <a href={`#${entry.id}`} className="text-indigo-700 underline-offset-2 hover:underline">{entry.text}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <div
        className="prose prose-slate mt-6 max-w-none rounded-lg bg-white p-4 shadow-sm sm:p-6 [&_h2]:scroll-mt-4 [&_.table-scroll]:overflow-x-auto [&_.table-scroll:focus-visible]:outline [&_.table-scroll:focus-visible]:outline-2 [&_.table-scroll:focus-visible]:outline-indigo-600"
        dangerouslySetInnerHTML={{ __html: article.html }}
      />
      {article.related.length ? (
        <nav aria-labelledby="related-heading" className="mt-6" data-testid="related-articles">
          <h2 id="related-heading" className="text-lg font-semibold">{labels.related}</h2>
          <ul className="mt-2 space-y-1">
            {article.related.map((r) => (
              <li key={r.slug} lang={r.locale === "zh" ? "zh-CN" : "en"}>
                <Link to={articleHref(r.slug)} className="text-indigo-700 underline">{r.title}</Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </>
  );
}
