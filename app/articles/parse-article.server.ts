import matter from "gray-matter";
import { frontMatterSchema, type FrontMatter, type Passage } from "./article-schema";
import { markdownToPlainText, markdownToSections, renderMarkdown } from "./markdown.server";
import { buildPassages, hashText } from "./passages";

/** Bump when parsing changes what is stored, so that the next import re-reads unchanged files. */
export const IMPORT_FORMAT_VERSION = "4";

export function sourceHash(source: string): string {
  return hashText(IMPORT_FORMAT_VERSION, source);
}

export interface ParsedArticle extends FrontMatter {
  bodyMarkdown: string;
  bodyHtml: string;
  bodyText: string;
  sourcePath: string;
  contentHash: string;
  passages: Passage[];
}

/** A file that cannot be imported; `reason` says why in words a writer can act on. */
export class ArticleParseError extends Error {
  override name = "ArticleParseError";
  constructor(
    readonly sourcePath: string,
    readonly reason: string,
  ) {
    super(`${sourcePath}: ${reason}`);
  }
}

export function parseArticle(source: string, sourcePath: string): ParsedArticle {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // gray-matter caches by content; the cache would hand back stale objects across imports.
    parsed = matter(source, {});
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ArticleParseError(sourcePath, `invalid front matter: ${message}`);
  }
  if (!source.trimStart().startsWith("---")) {
    throw new ArticleParseError(sourcePath, "missing front matter (the file must start with ---)");
  }
  const frontMatter = frontMatterSchema.safeParse(parsed.data);
  if (!frontMatter.success) {
    const reasons = frontMatter.error.issues.map((issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown front matter field(s): ${issue.keys.join(", ")}`
        : `${issue.path.join(".")} ${issue.message}`,
    );
    throw new ArticleParseError(sourcePath, `invalid front matter: ${reasons.join("; ")}`);
  }
  const bodyMarkdown = parsed.content.trim();
  const sections = markdownToSections(bodyMarkdown);
  if (!sections.length) throw new ArticleParseError(sourcePath, "empty body");
  return {
    ...frontMatter.data,
    bodyMarkdown,
    bodyHtml: renderMarkdown(bodyMarkdown),
    bodyText: markdownToPlainText(bodyMarkdown),
    sourcePath,
    contentHash: sourceHash(source),
    passages: buildPassages(sections),
  };
}
