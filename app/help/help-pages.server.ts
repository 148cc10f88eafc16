import type { Services } from "~/services.server";
import { helpHref } from "~/ui/help-center";
import type { HelpLang } from "~/ui/help-strings";

/** The help center's topic tiles in a language: categories with public articles in it. */
export function helpTopics(services: Services, lang: HelpLang) {
  return services.categories.labelAll(services.store.categories(["public"], lang), lang);
}

/** Where "contact us" leads: the contact article in the page's language when it has one. */
export function contactHref(services: Services, lang: HelpLang): string {
  const article = services.store.getBySlug(services.env.CONTACT_ARTICLE);
  if (!article || article.audience !== "public") return helpHref("/help", lang);
  const translated = article.locale !== lang && article.translation ? services.store.summaries([article.translation], ["public"])[0] : undefined;
  // An article page's language is the article's own, so its address needs no lang parameter.
  return `/help/articles/${translated?.slug ?? article.slug}`;
}
