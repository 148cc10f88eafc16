import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { articleFrontMatter, writeArticle } from "~/test/temp-db";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function tsx(script: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", script, ...args], {
      env: { ...process.env, ...env, CI: "1" },
      maxBuffer: 10 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run import", () => {
  it("prints a summary, reports bad files and exits non-zero when a file failed", async () => {
    const articles = path.join(dir, "articles");
    writeArticle(articles, "good.md", articleFrontMatter("good-article"), "Good body.");
    writeArticle(articles, "bad.md", articleFrontMatter("bad-article", { audience: "everyone" }), "Body.");
    const env = { DATABASE_PATH: path.join(dir, "import.db") };
    const first = await tsx("scripts/import.ts", [articles], env);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("added 1, updated 0, unchanged 0, failed 1, removed 0");
    expect(first.stderr).toContain("bad.md: invalid front matter: audience must be one of: public, internal");

    fs.rmSync(path.join(articles, "bad.md"));
    const second = await tsx("scripts/import.ts", [articles, "--prune"], env);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("added 0, updated 0, unchanged 1, failed 0, removed 0");
  });
});

describe("npm run eval", { timeout: 120_000 }, () => {
  // Queries written for this test (not taken from any dataset).
  const queries = path.join(dir, "queries.jsonl");
  fs.writeFileSync(
    queries,
    [
      { query: "how can I follow my parcel", intent: "track_order" },
      { query: "what ways can I pay", intent: "check_payment_methods" },
      { query: "I forgot my password", intent: "recover_password" },
    ]
      .map((q) => JSON.stringify(q))
      .join("\n"),
  );

  it("prints exactly one JSON object with the documented metrics", async () => {
    const { code, stdout } = await tsx("scripts/eval.ts", ["--queries", queries, "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.queries).toBe(3);
    const keyword = report.modes.keyword;
    for (const key of ["mrr@10", "ndcg@10", "recall@5", "recall@20", "p50_ms", "p95_ms"]) {
      expect(typeof keyword[key]).toBe("number");
    }
    expect(keyword["mrr@10"]).toBeGreaterThan(0);
    expect(keyword["mrr@10"]).toBeLessThanOrEqual(1);
  });

  it("prints a table without --json", async () => {
    const { code, stdout } = await tsx("scripts/eval.ts", ["--queries", queries]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/MRR@10.*nDCG@10.*Recall@5.*Recall@20/s);
    expect(stdout).toMatch(/keyword/);
  });

  it("rejects an unknown intent and an unknown mode with exit code 2", async () => {
    const bad = path.join(dir, "bad.jsonl");
    fs.writeFileSync(bad, JSON.stringify({ query: "hello", intent: "teleport_order" }));
    const unknownIntent = await tsx("scripts/eval.ts", ["--queries", bad]);
    expect(unknownIntent.code).toBe(2);
    expect(unknownIntent.stderr).toContain('bad.jsonl:1: intent "teleport_order" is not in the qrels file');
    const unknownMode = await tsx("scripts/eval.ts", ["--queries", queries, "--modes", "magic"]);
    expect(unknownMode.code).toBe(2);
    expect(unknownMode.stderr).toContain("unknown mode(s): magic");
  });
});
