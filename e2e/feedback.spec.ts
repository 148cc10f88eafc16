import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { count, rows } from "./db";
import { signedIn } from "./helpers";

/** Impressions and clicks are logged durably: counted in the server's own database file. */

const helpBox = (page: Page) => page.getByRole("searchbox", { name: "Search help articles" });
const firstResult = (page: Page) => page.locator('section[aria-label="Search results"] ol > li h3 a').first();

async function helpSearch(page: Page, q: string): Promise<string> {
  await page.goto("/help");
  await helpBox(page).fill(q);
  await helpBox(page).press("Enter");
  await expect(firstResult(page)).toBeVisible();
  const href = (await firstResult(page).getAttribute("href")) ?? "";
  const searchId = /^\/click\/([0-9a-f-]{36})\/0\?event=/.exec(href)?.[1];
  expect(searchId, href).toBeDefined();
  return searchId!;
}

test("a customer's click is logged once, with JavaScript (beacon) and without (redirect)", async ({ page, browser, baseURL }) => {
  const searchId = await helpSearch(page, "where is my package");
  const target = await firstResult(page).getAttribute("data-article-url");
  await firstResult(page).click();
  await expect(page).toHaveURL(target!);
  await expect.poll(() => count("SELECT count(*) FROM events WHERE search_id = ? AND kind = 'click'", searchId)).toBe(1);
  expect(count("SELECT settled_at IS NOT NULL FROM searches WHERE id = ?", searchId)).toBe(1);

  // Back, and the same result opened again from the same page: still one click for it.
  await page.goBack();
  await firstResult(page).click({ modifiers: [] });
  await expect(page).toHaveURL(target!);
  await page.waitForTimeout(300);
  expect(count("SELECT count(*) FROM events WHERE search_id = ? AND kind = 'click'", searchId)).toBe(1);

  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  try {
    const noJs = await context.newPage();
    await noJs.goto("/help?q=cancel+my+order");
    const link = noJs.locator('section[aria-label="Search results"] ol > li h3 a').first();
    const href = (await link.getAttribute("href"))!;
    const id = /^\/click\/([0-9a-f-]{36})\//.exec(href)![1]!;
    const article = (await link.getAttribute("data-article-url"))!;
    await link.click();
    await expect(noJs).toHaveURL(article);
    expect(count("SELECT count(*) FROM events WHERE search_id = ? AND kind = 'click'", id)).toBe(1);
  } finally {
    await context.close();
  }
});

test("'I didn't find what I need' on the help center is logged and opens the contact article", async ({ page }) => {
  const searchId = await helpSearch(page, "where is my package");
  await page.getByTestId("not-found-link").click();
  await expect(page).toHaveURL("/help/articles/contact-customer-service");
  await expect.poll(() => count("SELECT count(*) FROM events WHERE search_id = ? AND kind = 'not_found'", searchId)).toBe(1);
});

test("search-as-you-type prefixes are not impressions; a pause, Enter or a click settles the search", async ({ page }) => {
  await signedIn(page, "agent");
  await page.goto("/agent");
  const box = page.getByRole("searchbox", { name: "Search public and internal articles" });
  const userId = count("SELECT id FROM users WHERE email = 'agent@voltaro.example'");
  const since = new Date().toISOString();

  // Typed with short breaks: each break sends a search, but none is left alone for 1.5 s.
  await box.focus();
  for (const part of ["refu", "nd st", "atus"]) {
    await page.keyboard.type(part, { delay: 30 });
    await page.waitForTimeout(600);
  }
  await expect(page.getByTestId("result-summary")).toHaveText(/for “refund status”/);
  await page.waitForTimeout(2000);
  const logged = rows<{ query: string; settled: number }>(
    "SELECT query, settled_at IS NOT NULL AS settled FROM searches WHERE session_key = ? AND created_at >= ? ORDER BY created_at",
    `user:${userId}`,
    since,
  );
  expect(logged.filter((r) => r.query === "refund status").map((r) => r.settled)).toContain(1);
  const prefixes = logged.filter((r) => r.query !== "refund status");
  expect(prefixes.length, "the pauses in typing sent searches").toBeGreaterThan(0);
  for (const r of prefixes) expect(r.settled, `prefix "${r.query}" counted as an impression`).toBe(0);

  // Enter settles at once; a click on a result too.
  await box.fill("escalation matrix");
  await box.press("Enter");
  await expect(page.getByTestId("result-summary")).toHaveText(/for “escalation matrix”/);
  await expect.poll(() => count("SELECT max(settled_at IS NOT NULL) FROM searches WHERE session_key = ? AND query = 'escalation matrix' AND created_at >= ?", `user:${userId}`, since)).toBe(1);

  // "Copy answer snippet" is logged as used in a reply; "I didn't find what I need" is one click.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const item = page.getByTestId("console-results").locator("ol > li").first();
  await item.getByRole("button", { name: "Copy answer snippet" }).click();
  await page.getByTestId("not-found-button").click();
  await expect(page.getByTestId("not-found-button")).toHaveText("Reported as not found");
  const searchId = String(count("SELECT id FROM searches WHERE session_key = ? AND query = 'escalation matrix' ORDER BY created_at DESC LIMIT 1", `user:${userId}`));
  await expect.poll(() => count("SELECT count(*) FROM events WHERE search_id = ? AND kind IN ('used_in_reply', 'not_found')", searchId)).toBe(2);
});

/** Sends `batches` in parallel from `senders` concurrent senders; returns the replies' stored counts. */
async function sendConcurrently(request: APIRequestContext, batches: object[][], senders: number): Promise<number[]> {
  const stored: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const response = await request.post("/api/events", { data: { events: batch } });
        expect(response.status(), await response.text()).toBe(200);
        stored.push(((await response.json()) as { stored: number }).stored);
      }
    }),
  );
  return stored;
}

test("5,000 events from 32 concurrent senders: every one is stored", async ({ playwright, baseURL }) => {
  test.setTimeout(120_000);
  // One anonymous visitor (its own cookie jar): ten searches, then 100 batches of 50 events about them.
  const request = await playwright.request.newContext({ baseURL });
  try {
    const searches: { id: string; results: { slug: string }[] }[] = [];
    for (const q of ["where is my package", "refund", "cancel order", "reset password", "invoice", "warranty", "delivery late", "change address", "gift card", "return an item"]) {
      const body = await (await request.get("/api/search", { params: { q, limit: "5" } })).json();
      expect(body.results.length, q).toBeGreaterThan(0);
      searches.push({ id: body.search_id, results: body.results });
    }
    const kinds = ["click", "used_in_reply", "not_found", "settle"] as const;
    const events = Array.from({ length: 5000 }, (_, i) => {
      const search = searches[i % searches.length]!;
      const kind = kinds[i % kinds.length]!;
      const position = i % search.results.length;
      const withResult = kind === "click" || kind === "used_in_reply";
      return { id: randomUUID(), kind, search_id: search.id, surface: "help", ...(withResult ? { slug: search.results[position]!.slug, position } : {}) };
    });
    const batches = Array.from({ length: 100 }, (_, b) => events.slice(b * 50, b * 50 + 50));
    const stored = await sendConcurrently(request, batches, 32);
    expect(stored.reduce((a, b) => a + b, 0)).toBe(5000);
    const ids = searches.map((s) => s.id);
    expect(count(`SELECT count(*) FROM events WHERE search_id IN (${ids.map(() => "?").join(",")})`, ...ids)).toBe(5000);

    // Sent again (a retry of everything): nothing more is stored.
    const again = await sendConcurrently(request, batches.slice(0, 10), 32);
    expect(again.reduce((a, b) => a + b, 0)).toBe(0);
    expect(count(`SELECT count(*) FROM events WHERE search_id IN (${ids.map(() => "?").join(",")})`, ...ids)).toBe(5000);
  } finally {
    await request.dispose();
  }
});

test("an admin reads the dashboard, sorts a table, exports CSV and starts and stops an A/B test", async ({ page }) => {
  await signedIn(page, "admin");
  await page.goto("/admin/analytics");
  const headline = page.getByTestId("headline");
  await expect(headline).toContainText("First-click CTR");
  await expect(headline).toContainText("“Not found” rate");
  const searches = Number(((await headline.locator("dd").first().textContent()) ?? "0").replace(/,/g, ""));
  expect(searches).toBeGreaterThan(0);
  // The charts are drawn on the server: SVG is in the page before any script runs.
  await expect(page.getByTestId("daily-chart").locator("svg .recharts-bar-rectangle").first()).toBeAttached();
  await expect(page.getByTestId("first-click-chart").locator("svg.recharts-surface").first()).toBeVisible();

  const top = page.getByTestId("top-queries");
  await top.getByRole("link", { name: /^Query/ }).click();
  await expect(page).toHaveURL(/sort=query&dir=desc/);
  await expect(top.locator('th[aria-sort="descending"]')).toHaveText(/Query/);
  const queries = await top.locator("tbody tr td:first-child").allTextContents();
  expect(queries).toEqual([...queries].sort((a, b) => b.localeCompare(a)));

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^helprank-searches-all-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);

  await page.goto("/admin/experiments");
  await page.getByLabel("Name").fill("Shipping first on help");
  await page.getByLabel("Preset A (control)").selectOption("help");
  await page.getByLabel("Preset B (challenger)").selectOption("help");
  await page.getByRole("button", { name: "Start experiment" }).click();
  await expect(page.getByText("Preset B must differ from preset A")).toBeVisible();
  await page.getByLabel("Preset B (challenger)").selectOption("shipping-status-first");
  await page.getByRole("button", { name: "Start experiment" }).click();
  await expect(page.getByRole("status")).toHaveText("Started Shipping first on help.");
  await page.getByRole("button", { name: /^Stop/ }).click();
  await expect(page.getByText(/^Stopped \d{4}/)).toBeVisible();
  await page.goto("/admin/analytics");
  await expect(page.getByTestId("experiments")).toContainText("Shipping first on help");
  await expect(page.getByTestId("experiments")).toContainText("looking every day and stopping at the first significant day");
});
