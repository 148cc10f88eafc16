import { z } from "zod";
import type { Judgments } from "./metrics";

export const intentsFileSchema = z.record(
  z.string().regex(/^[a-z_]+$/, "intent names are snake_case"),
  z
    .object({
      primary: z.string().min(1),
      related: z.array(z.string().min(1)).max(2).default([]),
    })
    .strict(),
);

export type IntentsFile = z.infer<typeof intentsFileSchema>;

export const evalQuerySchema = z.object({
  query: z.string().trim().min(1),
  intent: z.string().min(1),
});

export type EvalQuery = z.infer<typeof evalQuerySchema>;

/** A problem with an eval input file, reported with file and line. */
export class EvalDataError extends Error {
  override name = "EvalDataError";
}

export function judgmentsByIntent(intents: IntentsFile): Map<string, Judgments> {
  const out = new Map<string, Judgments>();
  for (const [intent, { primary, related }] of Object.entries(intents)) {
    out.set(intent, new Map([...related.map((slug) => [slug, 1] as const), [primary, 2] as const]));
  }
  return out;
}

export function parseIntentsFile(text: string, file: string): IntentsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EvalDataError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const result = intentsFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EvalDataError(`${file}: ${issue?.path.join(".")} ${issue?.message}`);
  }
  return result.data;
}

/** The non-blank lines of a JSONL file, each validated by `schema`; errors name the file and line. */
function* jsonlLines<T>(text: string, file: string, schema: z.ZodType<T>, expected: string): Generator<{ value: T; where: string }> {
  for (const [i, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    const where = `${file}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new EvalDataError(`${where}: not valid JSON`);
    }
    const result = schema.safeParse(json);
    if (!result.success) throw new EvalDataError(`${where}: expected ${expected}`);
    yield { value: result.data, where };
  }
}

export function parseQueriesJsonl(text: string, file: string, intents: IntentsFile): EvalQuery[] {
  const queries: EvalQuery[] = [];
  for (const { value, where } of jsonlLines(text, file, evalQuerySchema, '{"query": "...", "intent": "..."}')) {
    if (!(value.intent in intents)) throw new EvalDataError(`${where}: intent "${value.intent}" is not in the qrels file`);
    queries.push(value);
  }
  if (!queries.length) throw new EvalDataError(`${file}: no queries`);
  return queries;
}

const judgmentLineSchema = z.object({
  query: z.string().trim().min(1),
  slug: z.string().min(1),
  grade: z.union([z.literal(0), z.literal(1), z.literal(2)]),
});

/**
 * Graded judgments as JSONL, one `{query, slug, grade, ...}` per line (what `npm run
 * export:judgments` writes from clicks): each distinct query becomes an eval query judged by
 * its own lines. Grade 2 marks the primary article; grade 0 lines are kept out of the judgments.
 */
export function parseJudgmentsJsonl(text: string, file: string): { queries: EvalQuery[]; judgments: Map<string, Judgments> } {
  const judgments = new Map<string, Map<string, number>>();
  for (const { value } of jsonlLines(text, file, judgmentLineSchema, '{"query": "...", "slug": "...", "grade": 0|1|2}')) {
    const { query, slug, grade } = value;
    const forQuery = judgments.get(query) ?? new Map<string, number>();
    if (grade > 0) forQuery.set(slug, Math.max(grade, forQuery.get(slug) ?? 0));
    judgments.set(query, forQuery);
  }
  // A query nothing was clicked for judges no ranking: leave it out.
  for (const [query, graded] of judgments) if (!graded.size) judgments.delete(query);
  if (!judgments.size) throw new EvalDataError(`${file}: no query with a clicked article`);
  return { queries: [...judgments.keys()].map((query) => ({ query, intent: query })), judgments };
}
