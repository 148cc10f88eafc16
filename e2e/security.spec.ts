import { expect, test } from "@playwright/test";
import { signedIn } from "./helpers";

/** Headers on every response, and pages that run under their Content-Security-Policy. */

test("every kind of response carries the security headers", async ({ request }) => {
  for (const url of ["/help", "/help/articles/track-your-order", "/api/search?q=refund", "/no/such/page", "/health", "/favicon.svg"]) {
    const response = await request.get(url);
    const headers = response.headers();
    expect(headers["content-security-policy"], url).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"], url).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(headers["x-content-type-options"], url).toBe("nosniff");
    expect(headers["referrer-policy"], url).toBe("same-origin");
    expect(headers["x-powered-by"], url).toBeUndefined();
  }
});

test("the pages run under their CSP: no violation while searching, opening and using the console", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.goto("/help");
  await page.getByRole("searchbox", { name: "Search help articles" }).fill("where is my package");
  await page.getByRole("searchbox", { name: "Search help articles" }).press("Enter");
  await page.locator('section[aria-label="Search results"] ol > li h3 a').first().click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await signedIn(page, "admin");
  await page.goto("/agent?q=escalation");
  await page.getByTestId("console-results").locator("ol > li").first().getByText("Why this result?").click();
  await page.goto("/admin/analytics");
  await expect(page.getByTestId("daily-chart")).toBeVisible();
  // Hydrated: a client-side navigation works (scripts ran).
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Experiments" }).click();
  await expect(page).toHaveURL("/admin/experiments");
  expect(violations).toEqual([]);
});
