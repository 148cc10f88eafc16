import { z } from "zod";
import { SLUG_PATTERN } from "~/articles/article-schema";
import { EvalDataError } from "./eval-data";

/**
 * A steering case: the same kind of short, ambiguous query asked under a preset or a free
 * instruction; it passes when the first result is one of `expect_top`.
 */
export const steeringCaseSchema = z
  .object({
    query: z.string().min(1).max(500),
    preset: z.string().regex(SLUG_PATTERN).optional(),
    instruction: z.string().min(1).max(500).optional(),
    surface: z.enum(["help", "agent"]).default("help"),
    expect_top: z.array(z.string().regex(SLUG_PATTERN)).min(1),
  })
  .strict()
  .refine((c) => Boolean(c.preset) !== Boolean(c.instruction), { message: "give either preset or instruction" });

export type SteeringCase = z.infer<typeof steeringCaseSchema>;

export function parseSteeringCases(text: string, file: string): SteeringCase[] {
  const cases: SteeringCase[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new EvalDataError(`${file}:${i + 1}: not valid JSON`);
    }
    const parsed = steeringCaseSchema.safeParse(json);
    if (!parsed.success) throw new EvalDataError(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join(".") || "line"}: ${x.message}`).join("; ")}`);
    cases.push(parsed.data);
  });
  if (!cases.length) throw new EvalDataError(`${file}: no cases`);
  return cases;
}

export interface CaseOutcome {
  case: SteeringCase;
  top: string | undefined;
  passed: boolean;
}

export interface ComplianceReport {
  cases: number;
  passed: number;
  compliance: number;
  failures: CaseOutcome[];
}

export async function evaluateCompliance(
  cases: readonly SteeringCase[],
  rank: (c: SteeringCase) => Promise<string[]>,
): Promise<ComplianceReport> {
  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
    const [top] = await rank(c);
    outcomes.push({ case: c, top, passed: top !== undefined && c.expect_top.includes(top) });
  }
  const passed = outcomes.filter((o) => o.passed).length;
  return { cases: cases.length, passed, compliance: Math.round((passed / cases.length) * 1000) / 1000, failures: outcomes.filter((o) => !o.passed) };
}
