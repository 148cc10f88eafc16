import { z } from "zod";
import { AUDIENCES, LOCALES, SLUG_PATTERN } from "~/articles/article-schema";
import { INVISIBLE } from "./text";
import { isErrorNamed } from "~/errors";

export const SURFACES = ["help", "agent"] as const;
export type Surface = (typeof SURFACES)[number];
export const MAX_QUERY_LENGTH = 500;
export const MAX_LIMIT = 100;
export const MAX_OFFSET = 1000;
export const MAX_INSTRUCTION_LENGTH = 500;

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/**
 * Whole decimal numbers only ("10", not "1e1", "0x10", " 10" or "-0"): anything else is left
 * as text, which the number schema then refuses with its message.
 */
const wholeNumber = (value: unknown) => {
  const v = blankToUndefined(value);
  return typeof v === "string" && /^\d{1,9}$/.test(v) ? Number(v) : v;
};

/** Control characters (NUL, ESC, …) have no place in a query; tabs and line breaks are blanks. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

/** Query-string parameters of a search (the API and the search page share them). */
export const searchRequestSchema = z.object({
  // Invisible characters alone are no query, like an empty one.
  // One rule for every query: invisible characters (zero-width, BOM) are dropped, tabs and line
  // breaks become blanks, any other control character is a 400, and nothing left is "empty".
  q: z.preprocess(
    (value) => (typeof value === "string" ? value.replace(INVISIBLE, "").replace(/[\t\n\r]/g, " ") : value),
    z
      .string({ required_error: "q is required", invalid_type_error: "q must be a string" })
      .refine((v) => !CONTROL.test(v), "q must not contain control characters such as NUL")
      .transform((v) => v.trim())
      .pipe(z.string().min(1, "q must not be empty").max(MAX_QUERY_LENGTH, `q must be at most ${MAX_QUERY_LENGTH} characters`)),
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
    z
      .string({ invalid_type_error: "category must be a string" })
      .max(60, "category must be at most 60 characters")
      .regex(SLUG_PATTERN, "category must be a category slug such as 'shipping'")
      .optional(),
  ),
  limit: z.preprocess(
    wholeNumber,
    z
      .number({ invalid_type_error: "limit must be a whole number such as 10" })
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
    wholeNumber,
    z
      .number({ invalid_type_error: "offset must be a whole number such as 20" })
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
  /** Matches this error from either copy of the app's code (app/errors.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isErrorNamed(value, "BadRequestError");
  }
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
