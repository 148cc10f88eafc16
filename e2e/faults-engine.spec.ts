import { expect, test } from "@playwright/test";
import { freePort, spawnScript, startApp } from "./app-process";

/**
 * Faults (issue 12): the keyword engine is down. ENGINE=meilisearch with MEILI_URL on a closed
 * port of 127.0.0.1 when the app starts. The server starts anyway (the store is the system of
 * record: the seed is imported into it, the Meilisearch index is filled once it answers), says so
 * in one line, and answers: searches a clear 503 (JSON error with Retry-After, the app's error
 * page), /ready 503 naming the engine, everything that needs no keyword search as usual. The CLIs
 * that write to the engine stop at once with one line naming MEILI_URL (docs/decisions/010).
 */

test.describe.configure({ timeout: 90_000 });

for (const processes of ["1", "2"]) {
  test(`Meilisearch unreachable (${processes} process${processes === "1" ? "" : "es"}): the app serves, searches answer a clear 503, no crash`, async ({ browser }) => {
    const closed = await freePort();
    const app = await startApp({ ENGINE: "meilisearch", MEILI_URL: `http://127.0.0.1:${closed}`, WEB_CONCURRENCY: processes });
    try {
      const ready = await fetch(`${app.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: "not_ready", engine: { name: "meilisearch", status: "unavailable" } });

      for (let i = 0; i < 5; i++) {
        const api = await fetch(`${app.url}/api/search?q=${encodeURIComponent("where is my package")}`);
        expect(api.status).toBe(503);
        expect(api.headers.get("retry-after")).toBeTruthy();
        expect(await api.json()).toEqual({ error: { code: "engine_unavailable", message: "Search is temporarily unavailable." } });
      }

      const page = await browser.newPage();
      const response = await page.goto(`${app.url}/help?q=refund`);
      expect(response?.status()).toBe(503);
      await expect(page.getByText("Search is unavailable for a moment. Please try again shortly.")).toBeVisible();
      // Pages that need no keyword search still work: the help center's topics, an article.
      expect((await page.goto(`${app.url}/help`))?.status()).toBe(200);
      expect((await page.goto(`${app.url}/help/articles/track-your-order`))?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Track your order");
      await page.close();

      // Still running, and the log says why in lines, not stack traces.
      expect((await fetch(`${app.url}/health`)).status).toBe(200);
      const output = app.output();
      expect(output).toContain(`meilisearch: not reachable at MEILI_URL=http://127.0.0.1:${closed}`);
      expect(output).toMatch(/articles in the store; the meilisearch index is filled when it answers/);
      expect(output).not.toMatch(/^\s+at /m);
    } finally {
      await app.stop();
    }
  });
}

test("the import CLI stops at once with one line naming MEILI_URL when Meilisearch is unreachable", async () => {
  const closed = await freePort();
  const cli = spawnScript("scripts/import.ts", ["seed/articles"], { ENGINE: "meilisearch", MEILI_URL: `http://127.0.0.1:${closed}`, DATABASE_PATH: `/tmp/helprank-import-${closed}.db` });
  const code = await cli.exited;
  expect(code, cli.output()).toBe(1);
  const lines = cli.output().split("\n").filter((line) => line.trim());
  expect(lines.join("\n")).toMatch(new RegExp(`meilisearch: not usable at MEILI_URL=http://127\\.0\\.0\\.1:${closed} \\(ENGINE=meilisearch\\): .*ECONNREFUSED.*; start Meilisearch there or fix MEILI_URL`));
  expect(cli.output()).not.toMatch(/^\s+at /m);
});
