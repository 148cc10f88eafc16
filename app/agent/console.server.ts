import type { Locale } from "~/articles/article-schema";
import type { SearchSession } from "~/events/visitor.server";
import { searchForPage, type PageResult } from "~/search/search-page.server";
import type { SearchAccess } from "~/search/pipeline.server";
import type { TicketQuery } from "~/search/ticket-query";
import type { Services } from "~/services.server";

/** The filters of the agent console, as the URL (or the ticket form) gives them. */
export const CONSOLE_FILTERS = ["preset", "category", "locale", "audience"] as const;
export type ConsoleFilters = Record<(typeof CONSOLE_FILTERS)[number], string>;

export interface ConsoleData {
  q: string;
  filters: ConsoleFilters;
  presets: { slug: string; name: string; isDefault: boolean; instruction: string | null }[];
  categories: { category: string; name: string; count: number }[];
  result: PageResult | null;
  error: string | null;
  /** Ticket mode: what was searched for, derived from the pasted message (never put in the URL). */
  ticket: Pick<TicketQuery, "query" | "removed" | "truncated"> | null;
}

export function consoleFilters(source: { get(name: string): unknown }): ConsoleFilters {
  const value = (name: string) => {
    const v = source.get(name);
    return typeof v === "string" ? v : "";
  };
  return { preset: value("preset"), category: value("category"), locale: value("locale"), audience: value("audience") };
}

/** The console's page data: the agent-surface presets, the categories, and the search when there is one. */
export async function loadConsole(
  services: Services,
  input: { q: string; filters: ConsoleFilters; offset?: string; exact?: string },
  access: SearchAccess,
  log: { session: SearchSession; settled: boolean },
): Promise<ConsoleData & { status: number }> {
  const presets = services.presets
    .list()
    .filter((p) => p.enabled && p.surfaces.includes("agent"))
    .map((p) => ({ slug: p.slug, name: p.name, isDefault: p.defaultFor.includes("agent"), instruction: p.instruction }));
  const audiences = access.internal ? (["public", "internal"] as const) : (["public"] as const);
  const labelLocale: Locale = "en";
  const categories = services.categories
    .labelAll(services.store.categories(audiences), labelLocale)
    .map(({ category, name, count }) => ({ category, name, count }));
  const base = { q: input.q, filters: input.filters, presets, categories, ticket: null };
  if (!input.q.trim()) return { ...base, result: null, error: null, status: 200 };
  const params = new URLSearchParams({ q: input.q });
  for (const [name, value] of Object.entries(input.filters)) if (value) params.set(name, value);
  if (input.offset) params.set("offset", input.offset);
  if (input.exact) params.set("exact", input.exact);
  const { result, error } = await searchForPage(services, params, { surface: "agent", access, labelLocale, ...log });
  return { ...base, result, error, status: error ? 400 : 200 };
}
