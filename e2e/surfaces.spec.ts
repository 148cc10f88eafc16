import { expect, test, type Page } from "@playwright/test";
import { signedIn } from "./helpers";

/** Journeys through the help center (/help) and the agent console (/agent), as their users go. */

const helpBox = (page: Page) => page.getByRole("searchbox", { name: "Search help articles" });
const helpResults = (page: Page) => page.locator('section[aria-label="Search results"] ol > li');

async function noHorizontalScroll(page: Page): Promise<void> {
  const { overflow, culprits } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 3)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute("class") ?? ""}">`);
    return { overflow: document.documentElement.scrollWidth - width, culprits };
  });
  expect(overflow, `${page.url()} is ${overflow}px wider than the screen: ${culprits.join(", ")}`).toBeLessThanOrEqual(0);
}

test.describe("help center", () => {
  test("a customer browses from a topic tile to a category page and an article with related links", async ({ page }) => {
    await page.goto("/help");
    await expect(page.getByRole("heading", { name: "Browse topics" })).toBeVisible();
    await page.getByRole("link", { name: /^Orders/ }).click();
    await expect(page).toHaveURL("/help/categories/orders");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Orders");

    await page.getByRole("link", { name: /^Track your order\b/ }).click();
    await expect(page).toHaveURL("/help/articles/track-your-order");
    // The article page has a search box, a table of contents and related articles as links.
    await expect(helpBox(page)).toBeVisible();
    const related = page.getByTestId("related-articles");
    await expect(related.getByRole("link").first()).toBeVisible();
    const href = await related.getByRole("link").first().getAttribute("href");
    expect(href).toMatch(/^\/help\/articles\/[a-z0-9-]+$/);
    await related.getByRole("link").first().click();
    await expect(page).toHaveURL(href!);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });

  test("nonsense finds nothing: the empty state offers tips, topics and a contact link", async ({ page }) => {
    await page.goto("/help");
    await helpBox(page).fill("zxqv blorptang 🦄🦄");
    await helpBox(page).press("Enter");
    await expect(page.getByTestId("result-summary")).toHaveText("We couldn't find an article for “zxqv blorptang 🦄🦄”");
    const empty = page.getByTestId("empty-state");
    await expect(empty).toBeVisible();
    await expect(helpResults(page)).toHaveCount(0);
    await expect(empty.getByRole("heading", { name: "Or browse a topic:" })).toBeVisible();
    await empty.getByTestId("not-found-link").click();
    await expect(page).toHaveURL(/^.*\/help\/articles\/[a-z0-9-]+$/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });

  test("the language switch shows the help center in Chinese, and on an article opens its translation", async ({ page }) => {
    await page.goto("/help");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.getByTestId("language-switch").click();
    await expect(page).toHaveURL("/help?lang=zh");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("link", { name: /^配送与物流/ })).toBeVisible();

    const box = page.getByRole("searchbox", { name: "搜索帮助文章" });
    await box.fill("物流没更新");
    await box.press("Enter");
    await expect(helpResults(page).first().locator("a").first()).toHaveAttribute("data-article-url", "/help/articles/tracking-not-updating-zh");

    await page.goto("/help/articles/track-your-order");
    await page.getByTestId("language-switch").click();
    await expect(page).toHaveURL("/help/articles/track-your-order-zh");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await page.getByTestId("language-switch").click();
    await expect(page).toHaveURL("/help/articles/track-your-order");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });

  test("'Was this helpful?' takes a yes, and a no offers the contact link", async ({ page }) => {
    await page.goto("/help/articles/track-your-order");
    const helpful = page.locator("#helpful");
    await expect(helpful.getByRole("heading", { name: "Was this article helpful?" })).toBeVisible();
    await helpful.getByRole("button", { name: "Yes" }).click();
    await expect(page.getByTestId("helpful-thanks")).toHaveText("Thanks for letting us know.");

    await page.goto("/help/articles/cancel-an-order");
    await page.locator("#helpful").getByRole("button", { name: "No" }).click();
    const thanks = page.getByTestId("helpful-thanks");
    await expect(thanks).toContainText("Sorry this didn't help");
    await expect(thanks.getByTestId("contact-link")).toBeVisible();
  });

  test("works on a 360 px phone: no sideways scrolling on home, results and an article", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 } });
    try {
      const page = await context.newPage();
      for (const url of ["/help", "/help?q=where+is+my+package", "/help/articles/track-your-order", "/help?q=zxqv+blorptang", "/no/such/page"]) {
        await page.goto(url);
        await expect(page.getByRole("search").first()).toBeVisible();
        await noHorizontalScroll(page);
      }
    } finally {
      await context.close();
    }
  });
});

test.describe("agent console", () => {
  const box = (page: Page) => page.getByRole("searchbox", { name: "Search public and internal articles" });
  const items = (page: Page) => page.getByTestId("console-results").locator("ol > li");

  test("searches as the agent types, and the keyboard moves, copies and opens", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await signedIn(page, "agent");
    await page.goto("/agent");

    // `/` from anywhere focuses the search box.
    await page.locator("h1").click();
    await page.keyboard.press("/");
    await expect(box(page)).toBeFocused();

    // No Enter: the search runs after a pause in typing, and the URL keeps it.
    await page.keyboard.type("escalation", { delay: 20 });
    await expect(page).toHaveURL(/[?&]q=escalation/);
    await expect(page.getByTestId("result-summary")).toHaveText(/^\d+ articles? for “escalation”/);
    await expect(items(page).first().getByTestId("internal-badge")).toBeVisible();
    await expect(box(page)).toBeFocused();

    // Arrow down leaves the box for the first result; j and k move; c copies the link.
    await page.keyboard.press("ArrowDown");
    await expect(items(page).nth(0)).toHaveAttribute("aria-current", "true");
    await page.keyboard.press("j");
    await expect(items(page).nth(1)).toHaveAttribute("aria-current", "true");
    await page.keyboard.press("k");
    await expect(items(page).nth(0)).toHaveAttribute("aria-current", "true");
    const slug = await items(page).nth(0).getAttribute("data-slug");
    await page.keyboard.press("c");
    await expect(page.getByTestId("copy-notice")).toHaveText("Link copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(new URL(`/agent/articles/${slug}`, page.url()).href);

    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`/agent/articles/${slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });

  test("'copy answer snippet' puts the article's answer on the clipboard for a reply", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await signedIn(page, "agent");
    await page.goto("/agent?q=where+is+my+package&audience=public");
    const first = items(page).first();
    await first.getByRole("button", { name: "Copy answer snippet" }).click();
    await expect(page.getByTestId("copy-notice")).toHaveText("Answer snippet copied.");
    const text = await page.evaluate(() => navigator.clipboard.readText());
    expect(text.length).toBeGreaterThan(40);
    expect(text).not.toMatch(/<mark>|<\/?[a-z]+>/);
    expect(text).toContain(new URL(`/help/articles/${await first.getAttribute("data-slug")}`, page.url()).href);
  });

  test("ticket mode searches a pasted customer message without its personal data and keeps it out of the URL", async ({ page }) => {
    await signedIn(page, "agent");
    await page.goto("/agent");
    await page.getByText("Ticket mode: paste a customer message").click();
    const message =
      "Hi there,\nMy order #A1234567 shipped last week but the tracking has not updated since Monday. " +
      "Can you check? My e-mail is jane.doe@example.com and my phone is +44 7700 900123.\nThanks, Jane";
    await page.getByLabel(/The whole message/).fill(message);
    await page.getByRole("button", { name: "Find articles for this message" }).click();

    const ticket = page.getByTestId("ticket-query");
    await expect(ticket).toContainText("Searched for:");
    const searched = (await ticket.locator("strong").textContent()) ?? "";
    expect(searched).toMatch(/tracking/i);
    expect(searched).not.toMatch(/A1234567|jane|example\.com|7700|Hi there|Thanks/i);
    await expect(ticket).toContainText(/Left out: .*e-mail/i);
    expect(page.url()).not.toMatch(/jane|A1234567|tracking/i);
    await expect(items(page).first()).toBeVisible();
    const slugs = await items(page).evaluateAll((lis) => lis.slice(0, 3).map((li) => li.getAttribute("data-slug")));
    expect(slugs).toContain("tracking-not-updating");
  });

  test("filters narrow the results, and an unknown article is a 404 page", async ({ page }) => {
    await signedIn(page, "agent");
    await page.goto("/agent?q=refund");
    await page.getByLabel("Audience").selectOption("internal");
    await expect(page).toHaveURL(/audience=internal/);
    await expect(items(page).first()).toBeVisible();
    const badges = await items(page).evaluateAll((lis) => lis.map((li) => Boolean(li.querySelector('[data-testid="internal-badge"]'))));
    expect(badges.length).toBeGreaterThan(0);
    expect(badges.every(Boolean)).toBe(true);

    const response = await page.goto("/agent/articles/no-such-article");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  });

  test("the status bar says how much the preset steers a specific question, and nothing for a short one", async ({ page }) => {
    await signedIn(page, "agent");
    await page.goto("/agent?q=package&preset=shipping-status-first");
    await expect(items(page).first()).toBeVisible();
    await expect(page.getByTestId("status-bar")).toContainText("Preset: Shipping status first");
    await expect(page.getByTestId("preset-steering")).toHaveCount(0);
    await page.goto(`/agent?q=${encodeURIComponent("how many days does standard delivery usually take to reach my city")}&preset=shipping-status-first`);
    await expect(items(page).first()).toBeVisible();
    await expect(page.getByTestId("preset-steering")).toHaveText(/\(steers this query \d+%\)/);
  });

  test("works on a 360 px phone without sideways scrolling", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 } });
    try {
      const page = await context.newPage();
      await signedIn(page, "agent");
      for (const url of ["/agent", "/agent?q=escalation", "/agent/articles/escalation-matrix"]) {
        await page.goto(url);
        await noHorizontalScroll(page);
      }
      // The explanation table fits too, once opened.
      await page.goto("/agent?q=escalation");
      await items(page).first().getByText("Why this result?").click();
      await noHorizontalScroll(page);
    } finally {
      await context.close();
    }
  });
});
