import fs from "node:fs/promises";
import path from "node:path";
import type { SearchEngine, IndexDocument } from "~/search/engines/engine";
import type { Article } from "./article-schema";
import { ArticleParseError, parseArticle, sourceHash, type ParsedArticle } from "./parse-article.server";
import type { ArticleStore } from "./store.server";

export interface ImportFailure {
  file: string;
  reason: string;
}

export interface ImportSummary {
  files: number;
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
  removed: number;
  failures: ImportFailure[];
  /** Imported articles whose links point nowhere (the links are left out when shown). */
  warnings: ImportFailure[];
}

export interface ImportOptions {
  dir: string;
  store: ArticleStore;
  engine: SearchEngine;
  /** Remove stored articles that no file in `dir` provides any more. */
  prune?: boolean;
  onProgress?: (done: number, total: number, file: string) => void;
}

export async function listMarkdownFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md") && entry.name !== "README.md")
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

export function toIndexDocument(article: Article | ParsedArticle): IndexDocument {
  return {
    slug: article.slug,
    title: article.title,
    tags: article.tags,
    questions: article.questions,
    category: article.category,
    audience: article.audience,
    locale: article.locale,
    updated: article.updated,
    body: article.bodyText,
  };
}

type Candidate =
  | { file: string; slug: string; unchanged: true }
  | { file: string; slug: string; unchanged: false; article: ParsedArticle };

/**
 * Imports a folder of Markdown articles into the store and the keyword index. Unchanged files
 * (same content hash) are skipped; a bad file is reported and never stops the others.
 */
export async function importArticles(options: ImportOptions): Promise<ImportSummary> {
  const { dir, store, engine } = options;
  const files = await listMarkdownFiles(dir);
  const stored = new Map(store.versions().map((v) => [v.slug, v]));
  const storedByPath = new Map([...stored.values()].map((v) => [v.sourcePath, v]));
  const failures: ImportFailure[] = [];
  const candidates: Candidate[] = [];

  for (const [i, file] of files.entries()) {
    options.onProgress?.(i, files.length, file);
    const bytes = await fs.readFile(path.join(dir, file));
    // Decoding would turn the bytes of another encoding into U+FFFD and store the text garbled.
    const invalid = invalidUtf8Offset(bytes);
    if (invalid !== -1) {
      failures.push({ file, reason: `not UTF-8 text (invalid byte 0x${bytes[invalid]!.toString(16).padStart(2, "0")} at offset ${invalid}): save the file as UTF-8` });
      continue;
    }
    const source = bytes.toString("utf8");
    const previous = storedByPath.get(file);
    if (previous && previous.contentHash === sourceHash(source)) {
      candidates.push({ file, slug: previous.slug, unchanged: true });
      continue;
    }
    try {
      const article = parseArticle(source, file);
      candidates.push({ file, slug: article.slug, unchanged: false, article });
    } catch (error) {
      if (!(error instanceof ArticleParseError)) throw error;
      failures.push({ file, reason: error.reason });
    }
  }
  options.onProgress?.(files.length, files.length, "");

  // One file per slug: the file that already owns the slug keeps it, else the first by path.
  const bySlug = new Map<string, Candidate[]>();
  for (const c of candidates) bySlug.set(c.slug, [...(bySlug.get(c.slug) ?? []), c]);
  const accepted: Candidate[] = [];
  for (const [slug, group] of bySlug) {
    const owner = group.find((c) => stored.get(slug)?.sourcePath === c.file) ?? group[0];
    if (!owner) continue;
    accepted.push(owner);
    for (const other of group) {
      if (other !== owner) {
        failures.push({ file: other.file, reason: `duplicate slug "${slug}" (also in ${owner.file})` });
      }
    }
  }

  const summary: ImportSummary = {
    files: files.length,
    added: 0,
    updated: 0,
    unchanged: 0,
    failed: failures.length,
    removed: 0,
    failures: failures.sort((a, b) => a.file.localeCompare(b.file)),
    warnings: [],
  };
  const toIndex: IndexDocument[] = [];
  for (const c of accepted) {
    if (c.unchanged) {
      summary.unchanged++;
      continue;
    }
    if (stored.has(c.slug)) summary.updated++;
    else summary.added++;
    store.upsert(c.article);
    toIndex.push(toIndexDocument(c.article));
  }
  await engine.index(toIndex);

  if (options.prune) {
    const provided = new Set(accepted.map((c) => c.slug));
    const failedFiles = new Set(failures.map((f) => f.file));
    // A stored article whose file is still there but now fails to parse is kept, never lost.
    const gone = [...stored.values()]
      .filter((v) => !provided.has(v.slug) && !failedFiles.has(v.sourcePath))
      .map((v) => v.slug);
    summary.removed = store.remove(gone);
    await engine.remove(gone);
  }
  summary.warnings = linkWarnings(store.all());
  return summary;
}

/** Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629), or -1. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    // Continuation bytes that follow, and the range the first of them must be in
    // (no overlong forms, no surrogates, nothing above U+10FFFF).
    const [follow, low, high] =
      lead >= 0xc2 && lead <= 0xdf ? [1, 0x80, 0xbf]
      : lead === 0xe0 ? [2, 0xa0, 0xbf]
      : lead === 0xed ? [2, 0x80, 0x9f]
      : lead >= 0xe1 && lead <= 0xef ? [2, 0x80, 0xbf]
      : lead === 0xf0 ? [3, 0x90, 0xbf]
      : lead === 0xf4 ? [3, 0x80, 0x8f]
      : lead >= 0xf1 && lead <= 0xf3 ? [3, 0x80, 0xbf]
      : [0, 0, 0];
    if (!follow) return i;
    for (let k = 1; k <= follow; k++) {
      const byte = bytes[i + k];
      if (byte === undefined || byte < (k === 1 ? low : 0x80) || byte > (k === 1 ? high : 0xbf)) return i;
    }
    i += follow + 1;
  }
  return -1;
}

/** Related and translation links that point to no article, or a translation that is not one. */
export function linkWarnings(articles: readonly Article[]): ImportFailure[] {
  const bySlug = new Map(articles.map((a) => [a.slug, a]));
  const warnings: ImportFailure[] = [];
  for (const a of articles) {
    for (const slug of a.related) {
      if (!bySlug.has(slug)) warnings.push({ file: a.sourcePath, reason: `related article "${slug}" does not exist` });
    }
    if (!a.translation) continue;
    const other = bySlug.get(a.translation);
    if (!other) warnings.push({ file: a.sourcePath, reason: `translation "${a.translation}" does not exist` });
    else if (other.locale === a.locale) warnings.push({ file: a.sourcePath, reason: `translation "${a.translation}" is in the same language (${a.locale})` });
  }
  return warnings;
}

/** Rebuilds the keyword index from the store. */
export async function reindexAll(
  store: ArticleStore,
  engine: SearchEngine,
  onProgress?: (done: number, total: number) => void,
  batchSize = 50,
): Promise<number> {
  const articles = store.all();
  await engine.clear();
  for (let i = 0; i < articles.length; i += batchSize) {
    await engine.index(articles.slice(i, i + batchSize).map(toIndexDocument));
    onProgress?.(Math.min(i + batchSize, articles.length), articles.length);
  }
  return articles.length;
}
