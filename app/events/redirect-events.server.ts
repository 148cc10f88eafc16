import { redirect } from "@remix-run/node";
import { z } from "zod";
import { contactHref } from "~/help/help-pages.server";
import type { Services } from "~/services.server";
import type { EventKind } from "./event-schema";
import type { LoggedSearch } from "./search-log.server";
import { pageSession } from "./visitor.server";

const eventId = z.string().uuid();

/** A result link or a report link that has no search behind it (expired, or mistyped). */
function gone(): never {
  throw new Response("This link belongs to a search that is no longer known. Search again from the help center.", { status: 404, statusText: "Not Found" });
}

/**
 * The no-JavaScript side of an event: the link logs it under the event id the page was given
 * (the same id its beacon would use, so both count once), then redirects. A link opened by
 * another session (shared, copied) still redirects but logs nothing.
 */
async function logFromLink(
  services: Services,
  request: Request,
  search: LoggedSearch,
  event: { kind: EventKind; slug?: string; position?: number },
): Promise<void> {
  const id = eventId.safeParse(new URL(request.url).searchParams.get("event"));
  if (!id.success) return;
  const session = await pageSession(request);
  if (session.key !== search.sessionKey) return;
  services.events.store(
    { id: id.data, kind: event.kind, search_id: search.id, surface: search.surface, slug: event.slug, position: event.position },
    { sessionKey: session.key, userId: session.userId },
  );
}

export function articleUrl(surface: "help" | "agent", slug: string): string {
  return `/${surface}/articles/${slug}`;
}

/** GET /click/<search>/<position>?event=<id>: logs the click, then opens the article shown there. */
export async function clickRedirect(services: Services, request: Request, searchId: string | undefined, position: string | undefined) {
  const search = searchId ? services.searchLog.get(searchId) : undefined;
  if (!search || !/^\d{1,3}$/.test(position ?? "")) gone();
  const shown = search.results.find((r) => r.position === Number(position));
  if (!shown) gone();
  await logFromLink(services, request, search, { kind: "click", slug: shown.slug, position: shown.position });
  return redirect(articleUrl(search.surface, shown.slug));
}

/**
 * GET /report/<search>?event=<id>: "I didn't find what I need". Customers go on to the contact
 * article; agents return to the console with a note.
 */
export async function reportRedirect(services: Services, request: Request, searchId: string | undefined) {
  const search = searchId ? services.searchLog.get(searchId) : undefined;
  if (!search) gone();
  await logFromLink(services, request, search, { kind: "not_found" });
  const lang = new URL(request.url).searchParams.get("lang") === "zh" ? "zh" : "en";
  return redirect(search.surface === "help" ? contactHref(services, lang) : "/agent?reported=1");
}
