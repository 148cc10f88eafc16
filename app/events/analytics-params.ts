import { z } from "zod";

export const MAX_RANGE_DAYS = 366;
const day = (name: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a date such as 2026-11-01`).refine((v) => !Number.isNaN(Date.parse(v)), `${name} is not a real date`);

export const QUERY_SORTS = ["searches", "ctr", "zeroResults", "query"] as const;
export type QuerySort = (typeof QUERY_SORTS)[number];

/** The dashboard's URL: a date range (UTC days, `to` included), a surface and the tables' sort order. */
export const analyticsParamsSchema = z
  .object({
    from: day("from").optional(),
    to: day("to").optional(),
    surface: z.enum(["all", "help", "agent"], { errorMap: () => ({ message: "surface must be all, help or agent" }) }).default("all"),
    sort: z.enum(QUERY_SORTS, { errorMap: () => ({ message: `sort must be one of ${QUERY_SORTS.join(", ")}` }) }).default("searches"),
    dir: z.enum(["asc", "desc"], { errorMap: () => ({ message: "dir must be asc or desc" }) }).default("desc"),
  })
  .transform((p) => {
    const today = new Date().toISOString().slice(0, 10);
    const to = p.to ?? today;
    const from = p.from ?? new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
    return { ...p, from, to };
  })
  .superRefine((p, ctx) => {
    const days = (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 + 1;
    if (days < 1) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "from must not be after to" });
    if (days > MAX_RANGE_DAYS) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  });
export type AnalyticsParams = z.infer<typeof analyticsParamsSchema>;

/** [from, to + 1 day) as timestamps, for the store. */
export function rangeOf(p: AnalyticsParams): { from: string; to: string; surface: AnalyticsParams["surface"] } {
  return { from: `${p.from}T00:00:00.000Z`, to: new Date(Date.parse(p.to) + 86_400_000).toISOString(), surface: p.surface };
}

export function parseAnalyticsParams(search: URLSearchParams): { ok: true; params: AnalyticsParams } | { ok: false; message: string } {
  const raw = Object.fromEntries([...search].filter(([, v]) => v !== ""));
  const parsed = analyticsParamsSchema.safeParse(raw);
  return parsed.success ? { ok: true, params: parsed.data } : { ok: false, message: parsed.error.issues.map((i) => i.message).join("; ") };
}
