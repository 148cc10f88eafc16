import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { randomUUID } from "node:crypto";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import { z } from "zod";
import { SLUG_PATTERN } from "~/articles/article-schema";
import { articleView, type ArticleView } from "~/articles/article-view.server";
import { readFormWithCsrf } from "~/auth/auth.server";
import { contactHref } from "~/help/help-pages.server";
import { getServices } from "~/services.server";
import { ArticleBody } from "~/ui/article-body";
import { ContactLink, HelpFrame, HelpSearchForm, helpHref } from "~/ui/help-center";
import { HELP_STRINGS, HTML_LANG, type HelpLang } from "~/ui/help-strings";

interface HelpArticleData {
  lang: HelpLang;
  article: ArticleView;
  contactHref: string;
  /** Sent back with the answer: answering twice (a reload, a double click) is stored once. */
  feedbackId: string;
}

export const meta: MetaFunction<typeof loader> = ({ data: raw }) => {
  const data = raw as HelpArticleData | undefined;
  const t = HELP_STRINGS[data?.lang ?? "en"];
  return [{ title: data ? `${data.article.title} — ${t.siteName}` : t.siteName }];
};

async function publicArticle(slug: string | undefined) {
  const services = await getServices();
  const article = slug && SLUG_PATTERN.test(slug) ? services.store.getBySlug(slug) : undefined;
  // Internal articles are indistinguishable from missing ones here, whoever asks.
  if (!article || article.audience !== "public") {
    throw new Response("We couldn't find that article.", { status: 404, statusText: "Not Found" });
  }
  return { services, article };
}

export async function loader({ params }: LoaderFunctionArgs) {
  const { services, article } = await publicArticle(params.slug);
  const lang: HelpLang = article.locale;
  return Response.json({
    lang,
    article: articleView(services, article, ["public"]),
    contactHref: contactHref(services, lang),
    feedbackId: randomUUID(),
  } satisfies HelpArticleData);
}

const helpfulSchema = z.object({
  helpful: z.enum(["yes", "no"], { errorMap: () => ({ message: "helpful must be yes or no" }) }),
  feedbackId: z.string().uuid("feedbackId must be the id the page was given"),
});

/** "Was this helpful?": stored as an event for analytics; works without JavaScript. */
export async function action({ params, request }: ActionFunctionArgs) {
  const { services, article } = await publicArticle(params.slug);
  const form = await readFormWithCsrf(request);
  const parsed = helpfulSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return Response.json({ error: parsed.error.issues.map((i) => i.message).join("; ") }, { status: 400 });
  }
  services.events.record({ id: parsed.data.feedbackId, kind: "helpful", surface: "help", slug: article.slug, value: parsed.data.helpful });
  return Response.json({ helpful: parsed.data.helpful });
}

export default function HelpArticlePage() {
  const { lang, article, contactHref: contact, feedbackId } = useLoaderData<typeof loader>() as HelpArticleData;
  const answer = useActionData<typeof action>() as { helpful?: "yes" | "no"; error?: string } | undefined;
  const sending = useNavigation().state === "submitting";
  const t = HELP_STRINGS[lang];
  const other: HelpLang = lang === "en" ? "zh" : "en";
  // The switch lands on the same article in the other language, else on that language's home.
  const switchHref = article.translation ? `/help/articles/${article.translation.slug}` : helpHref("/help", other);
  return (
    <HelpFrame lang={lang} switchHref={switchHref}>
      <HelpSearchForm lang={lang} q="" />
      <article className="mt-6">
        <nav aria-label="Breadcrumb" className="text-sm text-slate-700">
          <Link to={helpHref("/help", lang)} className="underline hover:text-indigo-700">{t.home}</Link> ›{" "}
          <Link to={helpHref(`/help/categories/${article.category.slug}`, lang)} className="underline hover:text-indigo-700">{article.category.name}</Link>
        </nav>
        <h1 className="mt-2 text-3xl font-semibold tracking-tight">{article.title}</h1>
        <p className="mt-1 text-sm text-slate-700">
          {t.updated(article.updated)}
          {article.translation ? (
            <>
              {" · "}
              <Link to={`/help/articles/${article.translation.slug}`} lang={HTML_LANG[other]} className="text-indigo-700 underline" data-testid="translation-link">
                {t.readIn}
              </Link>
            </>
          ) : null}
        </p>
        <ArticleBody article={article} articleHref={(slug) => `/help/articles/${slug}`} labels={t} />
      </article>
      <section aria-labelledby="helpful-heading" id="helpful" className="mt-8 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="helpful-heading" className="font-medium">{t.helpfulQuestion}</h2>
        {answer?.helpful ? (
          <div role="status" data-testid="helpful-thanks">
            <p className="mt-2 text-slate-700">{answer.helpful === "yes" ? t.helpfulThanksYes : t.helpfulThanksNo}</p>
            {answer.helpful === "no" ? <ContactLink lang={lang} href={contact} /> : null}
          </div>
        ) : (
          <Form method="post" preventScrollReset className="mt-2 flex gap-2">
            <AuthenticityTokenInput />
            <input type="hidden" name="feedbackId" value={feedbackId} />
            <button type="submit" name="helpful" value="yes" disabled={sending} className="rounded-md border border-slate-400 bg-white px-4 py-1.5 hover:border-indigo-600 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600">
              {t.helpfulYes}
            </button>
            <button type="submit" name="helpful" value="no" disabled={sending} className="rounded-md border border-slate-400 bg-white px-4 py-1.5 hover:border-indigo-600 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600">
              {t.helpfulNo}
            </button>
          </Form>
        )}
        {answer?.error ? <p role="alert" className="mt-2 text-red-800">{answer.error}</p> : null}
      </section>
    </HelpFrame>
  );
}
