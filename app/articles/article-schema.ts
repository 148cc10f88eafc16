import { z } from "zod";

export const AUDIENCES = ["public", "internal"] as const;
export const LOCALES = ["en", "zh"] as const;
export type Audience = (typeof AUDIENCES)[number];
export type Locale = (typeof LOCALES)[number];

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const isoDate = z.preprocess(
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
  z
    .string({ required_error: "is required", invalid_type_error: "must be a date (YYYY-MM-DD)" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)")
    .refine((value) => !Number.isNaN(Date.parse(value)), "is not a real date"),
);

/** Front matter of a help article, as written in seed/articles. */
export const frontMatterSchema = z
  .object({
    slug: z
      .string({ required_error: "is required" })
      .max(120)
      .regex(SLUG_PATTERN, "must be lowercase letters, digits and single hyphens"),
    title: z.string({ required_error: "is required" }).trim().min(1, "must not be empty").max(200),
    category: z
      .string({ required_error: "is required" })
      .regex(SLUG_PATTERN, "must be lowercase letters, digits and single hyphens"),
    tags: z
      .array(z.string().trim().min(1).max(60), { invalid_type_error: "must be a list" })
      .max(20)
      .default([]),
    /** Ways customers phrase the need this article answers; searched and embedded, not shown. */
    questions: z
      .array(z.string().trim().min(1).max(200), { invalid_type_error: "must be a list" })
      .max(30)
      .default([]),
    /** Slugs of articles to read next, shown as links in this order (unknown or hidden ones are left out). */
    related: z
      .array(z.string().regex(SLUG_PATTERN, "must list article slugs"), { invalid_type_error: "must be a list of article slugs" })
      .max(10)
      .default([]),
    /** The slug of this article in the other language: the language switch lands there. */
    translation: z.string().regex(SLUG_PATTERN, "must be an article slug").optional(),
    audience: z.enum(AUDIENCES, {
      errorMap: () => ({ message: `must be one of: ${AUDIENCES.join(", ")}` }),
    }),
    locale: z.enum(LOCALES, {
      errorMap: () => ({ message: `must be one of: ${LOCALES.join(", ")}` }),
    }),
    updated: isoDate,
  })
  .strict();

export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** An article as stored and served. */
export interface Article extends FrontMatter {
  id: number;
  bodyMarkdown: string;
  bodyHtml: string;
  bodyText: string;
  sourcePath: string;
  contentHash: string;
}

export interface Passage {
  position: number;
  heading: string;
  text: string;
  contentHash: string;
}
