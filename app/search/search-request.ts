import { z } from "zod";
import { AUDIENCES, LOCALES, SLUG_PATTERN } from "~/articles/article-schema";
import { INVISIBLE } from "./text";

export const SURFACES = ["help", "agent"] as const;
export type Surface = (typeof SURFACES)[number];
export const MAX_QUERY_LENGTH = 500;
export const MAX_LIMIT = 100;
export const MAX_OFFSET = 1000;
export const MAX_INSTRUCTION_LENGTH = 500;

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/** Query-string parameters of a search (the API and the search page share them). */
export const searchRequestSchema = z.object({
  // Invisible characters alone are no query, like an empty one.
  q: z.preprocess(
    (value) => (typeof value === "string" ? value.replace(INVISIBLE, "") : value),
    z
      .string({ required_error: "q is required", invalid_type_error: "q must be a string" })
      .trim()
      .min(1, "q must not be empty")
      .max(MAX_QUERY_LENGTH, `q must be at most ${MAX_QUERY_LENGTH} characters`),
  ),
  surface: z.preprocess(
    blankToUndefined,
    z
      .enum(SURFACES, {
        errorMap: () => ({ message: `surface must be one of: ${SURFACES.join(", ")}` }),
      })
      .default("help"),
  ),
  locale: z.preprocess(
    blankToUndefined,
    z
      .enum([...LOCALES, "all"], {
        errorMap: () => ({ message: `locale must be one of: ${[...LOCALES, "all"].join(", ")}` }),
      })
      .optional(),
  ),
  /** Only public or only internal articles (agent surface); absent: all the caller may see. */
  audience: z.preprocess(
    blankToUndefined,
    z.enum(AUDIENCES, { errorMap: () => ({ message: `audience must be one of: ${AUDIENCES.join(", ")}` }) }).optional(),
  ),
  category: z.preprocess(
    blankToUndefined,
    z.string().regex(SLUG_PATTERN, "category must be a category slug such as 'shipping'").optional(),
  ),
  limit: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ invalid_type_error: "limit must be a number" })
      .int("limit must be a whole number")
      .min(1, "limit must be at least 1")
      .max(MAX_LIMIT, `limit must be at most ${MAX_LIMIT}`)
      .default(10),
  ),
  instruction: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(MAX_INSTRUCTION_LENGTH, `instruction must be at most ${MAX_INSTRUCTION_LENGTH} characters`)
      .optional(),
  ),
  /** A preset slug; whether it exists and fits the surface is checked when it is resolved. */
  preset: z.preprocess(
    blankToUndefined,
    z.string().max(60, "preset must be a preset slug").regex(SLUG_PATTERN, "preset must be a preset slug such as 'shipping-status-first'").optional(),
  ),
  /** Search the words exactly as typed: no spelling correction ("Search instead for …"). */
  exact: z.preprocess(
    blankToUndefined,
    z
      .enum(["1", "0", "true", "false"], { errorMap: () => ({ message: "exact must be 1 or 0" }) })
      .transform((v) => v === "1" || v === "true")
      .optional(),
  ),
  offset: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ invalid_type_error: "offset must be a number" })
      .int("offset must be a whole number")
      .min(0, "offset must be 0 or more")
      .max(MAX_OFFSET, `offset must be at most ${MAX_OFFSET}`)
      .default(0),
  ),
});

export type SearchRequest = z.infer<typeof searchRequestSchema>;

/** A request the caller must fix; maps to HTTP 400. */
export class BadRequestError extends Error {
  override name = "BadRequestError";
  constructor(
    message: string,
    readonly issues: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export function parseSearchRequest(params: URLSearchParams): SearchRequest {
  const known = ["q", "surface", "locale", "audience", "category", "limit", "offset", "instruction", "preset", "exact"] as const;
  const input: Record<string, string> = {};
  for (const key of known) {
    const values = params.getAll(key);
    if (values.length > 1) throw new BadRequestError(`${key} must be given once`, [{ field: key, message: "given more than once" }]);
    if (values[0] !== undefined) input[key] = values[0];
  }
  const result = searchRequestSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      field: issue.path.join("."),
      message: issue.message,
    }));
    throw new BadRequestError(issues.map((i) => i.message).join("; "), issues);
  }
  if (result.data.surface === "help" && result.data.audience === "internal") {
    const message = "audience=internal is only available on the agent surface";
    throw new BadRequestError(message, [{ field: "audience", message }]);
  }
  return result.data;
}
