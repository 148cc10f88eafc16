import { test } from "@playwright/test";
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
