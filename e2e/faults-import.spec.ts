import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { spawnScript, startApp, type AppProcess } from "./app-process";

/**
 * Faults (issue 12): a corrupt article set is imported (`npm run import -- DIR`, its own process)
 * into the database of the running production server while searches run against it. Searches
 * answer 200 throughout, the good articles stay searchable (and the good new one becomes so),
 * the import names every bad file with its reason, counts them and exits 1, and the database
 * passes SQLite's integrity checks afterwards.
 */

test.describe.configure({ timeout: 90_000 });

let app: AppProcess;

test.beforeAll(async () => {
  // The searches below come faster than the default 300 a minute per client address.
  app = await startApp({ RATE_LIMIT_SEARCH_PER_MIN: "0" });
});

test.afterAll(async () => {
  await app?.stop();
});

const frontMatter = (fields: Record<string, string>) =>
  `---\n${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join("\n")}\n---\n`;
const GOOD = { slug: "engraving-on-speakers", title: "Add an engraving to a speaker", category: "orders", audience: "public", locale: "en", updated: "2026-11-20" };

/** The corrupt set: one good new article and the bad files, with what the import must say about each. */
function writeCorruptSet(dir: string): Record<string, RegExp> {
  const write = (file: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  };
  write("en/engraving.md", `${frontMatter({ ...GOOD, tags: "[engraving, personalised speaker]", questions: "[can you engrave my name on a speaker]" })}` +
    "We engrave up to 20 characters on the grille of Voltaro speakers.\n\n## Cost\n\nEngraving costs 15 euros and adds two working days.\n");
  // Bad front matter: YAML that does not parse.
  write("en/bad-yaml.md", "---\nslug: [unclosed\ntitle: Broken: yes: no\n---\nBody.\n");
  // Binary junk: deterministic bytes that are not text at all.
  let seed = 12345;
  write("en/junk.md", Buffer.from(Array.from({ length: 4096 }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24)));
  // Missing fields: no title, category or updated date.
  write("en/missing-fields.md", `${frontMatter({ slug: "missing-fields", audience: "public", locale: "en" })}Some text.\n`);
  // Not UTF-8: a Latin-1 file whose front matter is otherwise fine.
  write("en/latin1.md", Buffer.from(`${frontMatter({ ...GOOD, slug: "cafe-voucher", title: "Caf\u00e9 voucher" })}Use the caf\u00e9 voucher.\n`, "latin1"));
  // Empty file, and front matter that never closes.
  write("en/empty.md", "");
  write("en/unclosed.md", "---\nslug: unclosed\ntitle: Never closed\n");
  // A second file with the good article's slug.
  write("en/zz-engraving-copy.md", `${frontMatter({ ...GOOD, title: "Engraving is not offered" })}We do not engrave.\n`);
  return {
    "en/bad-yaml.md": /invalid front matter/,
    "en/junk.md": /not UTF-8 text \(invalid byte 0x[0-9a-f]{2} at offset \d+\): save the file as UTF-8/,
    "en/missing-fields.md": /invalid front matter: .*title is required.*category is required.*updated is required/,
    "en/latin1.md": /not UTF-8 text \(invalid byte 0xe9 at offset \d+\): save the file as UTF-8/,
    "en/empty.md": /missing front matter/,
    "en/unclosed.md": /invalid front matter: category is required/,
    "en/zz-engraving-copy.md": /duplicate slug "engraving-on-speakers" \(also in en\/engraving\.md\)/,
  };
}

interface SearchBody {
  results: { slug: string; title: string }[];
}

test("a corrupt article set imported while searches run: every search answers 200, the bad files are reported, the good articles stay searchable, the database is intact", async ({ request }) => {
  const search = async (q: string) => {
    const response = await request.get(`${app.url}/api/search?q=${encodeURIComponent(q)}`);
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as SearchBody;
  };
  const refundBefore = await search("how do I get a refund");
  expect(refundBefore.results[0]?.slug).toBe("request-a-refund");

  const dir = path.join(app.dir, "corrupt-set");
  const expected = writeCorruptSet(dir);
  const importer = spawnScript("scripts/import.ts", [dir], { DATABASE_PATH: app.databasePath });

  // Two clients search (the API and the help page, in English and Chinese) until the import ends.
  const statuses: number[] = [];
  const queries = ["how do I get a refund", "where is my package", "物流没更新", "reset my password", "engraving on a speaker"];
  let importing = true;
  const client = async (offset: number) => {
    for (let i = offset; importing; i++) {
      const q = encodeURIComponent(queries[i % queries.length]!);
      const response = await request.get(i % 2 ? `${app.url}/help?q=${q}` : `${app.url}/api/search?q=${q}`);
      statuses.push(response.status());
    }
  };
  const clients = [client(0), client(1)];
  const code = await importer.exited;
  importing = false;
  await Promise.all(clients);

  test.info().annotations.push({ type: "searches during the import", description: String(statuses.length) });
  expect(statuses.length).toBeGreaterThan(10);
  expect(statuses.filter((s) => s !== 200)).toEqual([]);

  // The import counted and named every bad file, and said it failed.
  const output = importer.output();
  expect(code, output).toBe(1);
  expect(output).toContain(`Import: ${Object.keys(expected).length + 1} files — added 1, updated 0, unchanged 0, failed ${Object.keys(expected).length}, removed 0`);
  for (const [file, reason] of Object.entries(expected)) {
    const line = output.split("\n").find((l) => l.startsWith(`  ✗ ${file}: `));
    expect(line, `${file} in:\n${output}`).toBeDefined();
    expect(line!.slice(`  ✗ ${file}: `.length), file).toMatch(reason);
  }

  // The good articles: the seed ones as before, the good new one found by the running server.
  expect((await search("how do I get a refund")).results.map((r) => r.slug)).toEqual(refundBefore.results.map((r) => r.slug));
  expect((await search("can you engrave my name on a speaker")).results[0]).toMatchObject({ slug: GOOD.slug, title: GOOD.title });
  const article = await request.get(`${app.url}/help/articles/${GOOD.slug}`);
  expect(article.status()).toBe(200);
  expect(await article.text()).not.toContain("We do not engrave");

  // The database: SQLite's own checks, the keyword index's, and no garbled or half-stored article.
  const db = new Database(app.databasePath, { fileMustExist: true });
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.pragma("foreign_key_check")).toEqual([]);
    db.exec("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')");
    expect(db.prepare("SELECT count(*) FROM articles").pluck().get()).toBe(163);
    expect(db.prepare("SELECT count(*) FROM articles_fts").pluck().get()).toBe(163);
    expect(db.prepare("SELECT count(*) FROM articles WHERE slug IN ('cafe-voucher', 'missing-fields', 'unclosed')").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM articles WHERE instr(body_markdown || title, char(65533)) > 0").pluck().get()).toBe(0);
  } finally {
    db.close();
  }
});
