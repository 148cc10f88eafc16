import fs from "node:fs";
import { z } from "zod";
import { SLUG_PATTERN, type Locale } from "./article-schema";

const localized = z.object({
  name: z.string().trim().min(1).max(60),
  description: z.string().trim().max(200).default(""),
});

const categoriesFileSchema = z.object({
  $comment: z.string().optional(),
  categories: z.array(
    z.object({ slug: z.string().regex(SLUG_PATTERN, "must be a category slug"), en: localized, zh: localized.optional() }).strict(),
  ),
});

export interface CategoryLabel {
  slug: string;
  name: string;
  description: string;
}

/** The categories' display names and descriptions in each language (seed/categories.json). */
export class CategoryCatalog {
  private readonly entries: z.infer<typeof categoriesFileSchema>["categories"];

  constructor(entries: z.infer<typeof categoriesFileSchema>["categories"] = []) {
    this.entries = entries;
  }

  static fromFile(file: string): CategoryCatalog {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new Error(`CATEGORIES_FILE ${file}: ${error instanceof Error ? error.message : error}`);
    }
    const parsed = categoriesFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`CATEGORIES_FILE ${file}: ${issue.path.join(".")} ${issue.message}`);
    }
    return new CategoryCatalog(parsed.data.categories);
  }

  /** A category as shown in `locale`; one missing from the file gets its slug in words. */
  label(slug: string, locale: Locale = "en"): CategoryLabel {
    const entry = this.entries.find((e) => e.slug === slug);
    const text = (locale === "zh" ? entry?.zh : undefined) ?? entry?.en;
    return { slug, name: text?.name ?? humanizeSlug(slug), description: text?.description ?? "" };
  }

  /** The given categories in the file's order (unknown ones last, by slug), labelled. */
  labelAll<T extends { category: string }>(rows: readonly T[], locale: Locale = "en"): (T & { name: string; description: string })[] {
    const rank = (slug: string) => {
      const i = this.entries.findIndex((e) => e.slug === slug);
      return i < 0 ? this.entries.length : i;
    };
    return [...rows]
      .sort((a, b) => rank(a.category) - rank(b.category) || a.category.localeCompare(b.category))
      .map((row) => {
        const { name, description } = this.label(row.category, locale);
        return { ...row, name, description };
      });
  }
}

/** "returns-refunds" -> "Returns refunds", for a category the file does not name. */
export function humanizeSlug(slug: string): string {
  const text = slug.replaceAll("-", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
