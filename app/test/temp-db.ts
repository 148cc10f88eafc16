import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Db } from "~/db/db.server";

/** A real SQLite file in a fresh temporary folder, migrated; removed by `cleanup`. */
export function createTempDb(): { db: Db; file: string; dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-test-"));
  const file = path.join(dir, "test.db");
  const db = openDatabase(file);
  return {
    db,
    file,
    dir,
    cleanup: () => {
      if (db.open) db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function writeArticle(dir: string, relPath: string, frontMatter: Record<string, unknown>, body: string): void {
  const yaml = Object.entries(frontMatter)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? `[${value.join(", ")}]` : String(value)}`)
    .join("\n");
  const file = path.join(dir, relPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `---\n${yaml}\n---\n${body}\n`);
}

export function articleFrontMatter(slug: string, overrides: Record<string, unknown> = {}) {
  return {
    slug,
    title: `Title of ${slug}`,
    category: "orders",
    tags: ["orders"],
    audience: "public",
    locale: "en",
    updated: "2026-10-01",
    ...overrides,
  };
}
