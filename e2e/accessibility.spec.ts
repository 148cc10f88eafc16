import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signedIn } from "./helpers";

/**
 * axe-core's WCAG 2.1 A/AA rules (contrast, labels, landmarks, names, lang) on every kind of page
 * of both surfaces, in the states people see: results, empty, explanation open, Chinese, 404.
 */
async function expectNoViolations(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  expect(summary, `${what}: ${page.url()}`).toEqual([]);
}

test("help center pages meet WCAG 2.1 AA", async ({ page }) => {
  const pages = [
    ["home", "/help"],
    ["results", "/help?q=where+is+my+package"],
    ["no results", "/help?q=zxqv+blorptang"],
    ["category", "/help/categories/orders"],
    ["article", "/help/articles/track-your-order"],
    ["Chinese home", "/help?lang=zh"],
    ["Chinese article", "/help/articles/track-your-order-zh"],
    ["404", "/no/such/page"],
    ["internal article (404)", "/help/articles/escalation-matrix"],
    ["sign-in", "/login"],
  ] as const;
  for (const [what, url] of pages) {
    await page.goto(url);
    await expectNoViolations(page, what);
  }
});

test("agent console pages meet WCAG 2.1 AA", async ({ page }) => {
  await signedIn(page, "agent");
  await page.goto("/agent?q=escalation");
  await page.getByTestId("console-results").locator("ol > li").first().getByText("Why this result?").click();
  await expectNoViolations(page, "console with an explanation open");
  await page.getByText("Ticket mode: paste a customer message").click();
  await expectNoViolations(page, "console with ticket mode open");
  await page.goto("/agent/articles/escalation-matrix");
  await expectNoViolations(page, "internal article");
});

test("admin pages meet WCAG 2.1 AA", async ({ page }) => {
  await signedIn(page, "admin");
  for (const url of ["/admin", "/admin/presets", "/admin/presets/shipping-status-first", "/admin/presets/new", "/admin/playground", "/admin/keys", "/admin/users", "/admin/analytics", "/admin/experiments"]) {
    await page.goto(url);
    await expectNoViolations(page, url);
  }
});
