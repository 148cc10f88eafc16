import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { TEST_VECTOR_CACHE } from "../app/test/vector-cache";
import { signedIn } from "./helpers";

/**
 * The screenshots in docs/screenshots, taken with headless Chromium against the production build:
 * `npm run docs:screenshots`. Skipped in `npm test`: they document the look, the other journeys test it.
 */
test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 (npm run docs:screenshots) to refresh docs/screenshots");

const DIR = "docs/screenshots";
test.use({ viewport: { width: 1280, height: 860 } });

test("help center", async ({ page }) => {
  await page.goto("/help");
  await page.screenshot({ path: `${DIR}/help-home.png` });
  await page.goto("/help?q=order+shipped+but+tracking+not+updated");
  await page.screenshot({ path: `${DIR}/help-results.png` });
  await page.goto("/help?q=zxqv+blorptang");
  await page.screenshot({ path: `${DIR}/help-no-results.png` });
  await page.goto("/help/articles/tracking-not-updating-zh");
  await page.screenshot({ path: `${DIR}/help-article-zh.png` });
});

test("help center on a phone", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto("/help?q=where+is+my+package");
  await page.screenshot({ path: `${DIR}/help-phone.png` });
  await context.close();
});

test("agent console", async ({ page }) => {
  await signedIn(page, "agent");
  await page.goto("/agent?q=order+shipped+but+tracking+not+updated&preset=shipping-status-first");
  await page.getByTestId("console-results").locator("ol > li").first().getByText("Why this result?").click();
  await page.screenshot({ path: `${DIR}/agent-console.png` });
  await page.goto("/agent");
  await page.getByText("Ticket mode: paste a customer message").click();
  await page
    .getByLabel(/The whole message/)
    .fill("Hello,\nI ordered a TV (order #A7781234) and it says delivered but nothing arrived. Please help! jane@example.com\nThanks");
  await page.getByRole("button", { name: "Find articles for this message" }).click();
  await page.getByTestId("ticket-query").waitFor();
  await page.screenshot({ path: `${DIR}/agent-ticket-mode.png` });
});

test("analytics dashboard filled by simulated traffic", async ({ page }) => {
  test.setTimeout(180_000);
  // 30 days of traffic through the real pipeline into the server's own database, with an A/B test.
  const run = spawnSync("npx", ["tsx", "scripts/simulate-traffic.ts", "--days", "30", "--sessions", "800", "--experiment"], {
    env: { ...process.env, DATABASE_PATH: process.env.HELPRANK_E2E_DATABASE, VECTOR_CACHE_PATH: TEST_VECTOR_CACHE, ENGINE: "sqlite" },
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  console.log(run.stdout.trim().split("\n").at(-1));
  await signedIn(page, "admin");
  await page.setViewportSize({ width: 1280, height: 1900 });
  await page.goto("/admin/analytics?surface=all");
  await expect(page.getByTestId("daily-chart").locator("svg.recharts-surface").first()).toBeVisible();
  await page.screenshot({ path: `${DIR}/admin-analytics.png`, fullPage: true });
});
