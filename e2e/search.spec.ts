import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signedIn } from "./helpers";

/** Slugs of every seed article written for agents only (front matter `audience: internal`). */
function internalSlugs(): string[] {
  const root = path.resolve("seed/articles");
  const slugs: string[] = [];
  for (const entry of fs.readdirSync(root, { recursive: true, encoding: "utf8" })) {
    if (!entry.endsWith(".md")) continue;
    const text = fs.readFileSync(path.join(root, entry), "utf8");
    const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
    if (!/^audience:\s*["']?internal["']?\s*$/m.test(frontMatter)) continue;
    const slug = /^slug:\s*["']?([a-z0-9-]+)["']?\s*$/m.exec(frontMatter)?.[1];
    if (slug) slugs.push(slug);
  }
  return slugs;
}

const INTERNAL_SLUGS = internalSlugs();

const searchBox = (page: Page) => page.getByRole("searchbox", { name: "Search help articles" });
const resultsSection = (page: Page) => page.locator('section[aria-label="Search results"]');
const resultItems = (page: Page) => resultsSection(page).locator("ol > li");
/** Result title links (their href is the click-logging redirect; data-article-url is where they lead). */
const resultLinks = (page: Page) => resultItems(page).locator('h3 a[data-article-url^="/help/articles/"]');
const articleUrls = (page: Page) => resultLinks(page).evaluateAll((links) => links.map((a) => a.getAttribute("data-article-url")));

/** Types a query in the search box and submits it with Enter, as a visitor would. */
async function searchFor(page: Page, query: string): Promise<void> {
  await searchBox(page).fill(query);
  await searchBox(page).press("Enter");
  await expect(page).toHaveURL((url) => url.pathname === "/help" && url.searchParams.get("q") === query);
  await expect(page.getByTestId("result-summary")).toBeVisible();
}

test("the seed contains internal articles to hide", () => {
  // Guards the checks below against passing vacuously.
  expect(INTERNAL_SLUGS).toEqual(expect.arrayContaining(["escalation-matrix", "agent-handbook"]));
});

test("a visitor searches in their own words and opens the article", async ({ page }) => {
  await page.goto("/");
  await searchFor(page, "where is my package");

  const track = resultsSection(page).getByRole("link", { name: "Track your order", exact: true });
  await expect(track).toBeVisible();
  await expect(page.getByTestId("result-summary")).toHaveText(/^\d+ articles? for /);
  const topFive = (await resultLinks(page).allTextContents()).slice(0, 5).map((t) => t.trim());
  expect(topFive).toContain("Track your order");

  await track.click();
  await expect(page).toHaveURL("/help/articles/track-your-order");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Track your order");
});

test("the URL holds the search: reloading shows the same results and query", async ({ page }) => {
  await page.goto("/help");
  await searchFor(page, "where is my package");
  await expect(resultLinks(page).first()).toBeVisible();

  const url = page.url();
  const before = await articleUrls(page);
  const countBefore = /^\d+/.exec((await page.getByTestId("result-summary").textContent()) ?? "")?.[0];
  expect(before.length).toBeGreaterThan(0);
  expect(countBefore).toBeDefined();

  const response = await page.reload();
  expect(response?.status()).toBe(200);
  expect(page.url()).toBe(url);
  await expect(searchBox(page)).toHaveValue("where is my package");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(resultLinks(page)).toHaveCount(before.length);
  expect(await articleUrls(page)).toEqual(before);
  await expect(page.getByTestId("result-summary")).toHaveText(new RegExp(`^${countBefore} articles? for `));

  // The same address opened from scratch (shared link, new tab) gives the same page.
  const fresh = await page.context().newPage();
  await fresh.goto(url);
  await expect(searchBox(fresh)).toHaveValue("where is my package");
  await expect(resultLinks(fresh)).toHaveCount(before.length);
  expect(await articleUrls(fresh)).toEqual(before);
  await fresh.close();
});

test("search works without JavaScript", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto("/");
    await searchBox(page).fill("where is my package");
    await page.getByRole("button", { name: "Search" }).click();

    await expect(page).toHaveURL((url) => url.pathname === "/help" && url.searchParams.get("q") === "where is my package");
    await expect(searchBox(page)).toHaveValue("where is my package");
    const track = resultsSection(page).getByRole("link", { name: "Track your order", exact: true });
    await expect(track).toBeVisible();

    await track.click();
    await expect(page).toHaveURL("/help/articles/track-your-order");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Track your order");
  } finally {
    await context.close();
  }
});

test("a Chinese query finds the Chinese article first", async ({ page }) => {
  await page.goto("/");
  await searchFor(page, "物流没更新");

  const first = resultItems(page).first();
  await expect(first.locator("a").first()).toHaveAttribute("data-article-url", "/help/articles/tracking-not-updating-zh");
  await expect(first).toHaveAttribute("lang", "zh-CN");

  const title = ((await first.locator("a").first().textContent()) ?? "").trim();
  expect(title).toMatch(/物流/);
  await first.locator("a").first().click();
  await expect(page).toHaveURL("/help/articles/tracking-not-updating-zh");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
});

test("internal articles never show up in search results", async ({ page }) => {
  for (const query of ["escalation matrix", "escalation", "agent handbook"]) {
    await page.goto("/");
    await searchFor(page, query);
    await expect(page.locator('a[href="/help/articles/escalation-matrix"], a[data-article-url="/help/articles/escalation-matrix"]')).toHaveCount(0);
    await expect(page.locator('a[href="/help/articles/agent-handbook"], a[data-article-url="/help/articles/agent-handbook"]')).toHaveCount(0);
    const hrefs = await articleUrls(page);
    const leaked = hrefs.filter((href) => INTERNAL_SLUGS.some((slug) => href === `/help/articles/${slug}`));
    expect(leaked, `internal articles listed for "${query}"`).toEqual([]);
    await expect(resultsSection(page)).not.toContainText(/escalation matrix: who handles what/i);
  }
});

test("an unknown address is a 404 page in the app's style, with a search box", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page.getByText(/No route matches/)).toHaveCount(0);
  await page.getByRole("search").getByLabel("Search the help center").fill("where is my package");
  await page.getByRole("search").getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/help\?q=where\+is\+my\+package/);
  await expect(page.getByRole("link", { name: "Track your order" }).first()).toBeVisible();
});

test("internal articles are a 404 page", async ({ page }) => {
  for (const slug of ["escalation-matrix", "agent-handbook"]) {
    const response = await page.goto(`/help/articles/${slug}`);
    expect(response?.status(), `/articles/${slug}`).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await expect(page.getByText("We couldn't find that article.")).toBeVisible();
    await expect(page.getByRole("main")).not.toContainText(/escalation matrix|agent handbook/i);
  }
});

test("a query that is too long is refused with a message", async ({ page }) => {
  const response = await page.goto(`/?q=${"a".repeat(501)}`);
  expect(response?.status()).toBe(400);
  const alert = page.getByRole("alert");
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("q must be at most 500 characters");
  await expect(resultsSection(page)).toHaveCount(0);
  // The form is still there to try again.
  await expect(searchBox(page)).toBeVisible();
});

test.describe("search API", () => {
  test("rejects a limit over the maximum with a 400 JSON error", async ({ request }) => {
    const response = await request.get("/api/search", { params: { q: "where is my package", limit: "500" } });
    expect(response.status()).toBe(400);
    expect(response.headers()["content-type"]).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body).toEqual({ error: expect.objectContaining({ message: expect.stringMatching(/limit/) }) });
  });

  test("an anonymous agent-surface search is a 401", async ({ request }) => {
    const response = await request.get("/api/search", { params: { q: "escalation", surface: "agent" } });
    expect(response.status()).toBe(401);
    expect((await response.json()).error.message).toMatch(/surface=agent needs a signed-in agent/);
  });

  test("never returns internal articles to anonymous callers", async ({ request }) => {
    const cases: { q: string; surface?: string }[] = [
      { q: "escalation", surface: "help" },
      { q: "agent handbook" },
      { q: "escalation matrix" },
    ];
    for (const params of cases) {
      const response = await request.get("/api/search", { params: { ...params, limit: "100" } });
      expect(response.status(), JSON.stringify(params)).toBe(200);
      const body = await response.json();
      expect(body.query).toBe(params.q);
      expect(Array.isArray(body.results)).toBe(true);
      for (const item of body.results as { slug: string; audience: string }[]) {
        expect(item.audience, `${item.slug} for ${JSON.stringify(params)}`).toBe("public");
        expect(INTERNAL_SLUGS).not.toContain(item.slug);
      }
    }
  });
});

/** The agent console shows why each result ranks where it does. */
const consoleBox = (page: Page) => page.getByRole("searchbox", { name: "Search public and internal articles" });
const consoleItems = (page: Page) => page.getByTestId("console-results").locator("ol > li");

test("a query with no words in common still finds the tracking article, and the console explains why", async ({ page }) => {
  await signedIn(page, "agent");
  await page.goto("/agent?audience=public");
  await consoleBox(page).fill("wheres my stuff");
  await consoleBox(page).press("Enter");
  const first = consoleItems(page).first();
  await expect(first.locator("h3 a")).toHaveText("Track your order");
  await first.getByText("Why this result?").click();
  await expect(first.getByRole("rowheader", { name: "Meaning", exact: true })).toBeVisible();
  await expect(first.getByRole("rowheader", { name: "Keyword", exact: true })).toBeVisible();
  await expect(page.getByTestId("reranker-note")).toHaveCount(0);
});

test("a misspelt search is corrected, says so, and can be run as typed", async ({ page }) => {
  await page.goto("/help");
  await searchFor(page, "cancell my purchse");
  await expect(page.getByTestId("correction-note")).toContainText("Showing results for cancel my purchase");
  await expect(resultLinks(page).first()).toHaveText("Cancel an order");

  await page.getByTestId("correction-note").getByRole("link", { name: "cancell my purchse" }).click();
  await expect(page).toHaveURL(/exact=1/);
  await expect(page.getByTestId("correction-note")).toHaveCount(0);
  await expect(searchBox(page)).toHaveValue("cancell my purchse");
});

test("a Chinese search is ranked by meaning too, with no fallback note", async ({ page }) => {
  await page.goto("/");
  await searchFor(page, "物流没更新");
  await expect(resultsSection(page).getByRole("link", { name: "物流信息长时间没有更新怎么办", exact: true })).toBeVisible();
  await expect(page.getByTestId("reranker-note")).toHaveCount(0);
});

test.describe("rerank API", () => {
  test("POST /v1/rerank without a key is a 401", async ({ request }) => {
    const response = await request.post("/v1/rerank", { data: { query: "q", documents: ["a"] } });
    expect(response.status()).toBe(401);
  });

  test("POST /v1/rerank ranks the matching document first", async ({ page }) => {
    const { request } = await signedIn(page, "admin");
    const response = await request.post("/v1/rerank", {
      data: {
        query: "I forgot my password",
        documents: ["Returns are accepted for 30 days.", "Reset your password from the sign-in page.", "Shipping takes 3 to 5 days."],
        top_n: 2,
      },
    });
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(body.results).toHaveLength(2);
    expect(body.results[0].index).toBe(1);
  });

  test("a bad rerank request gets a 400 with a message", async ({ page }) => {
    const { request } = await signedIn(page, "admin");
    const response = await request.post("/v1/rerank", { data: { query: "q", documents: [] } });
    expect(response.status()).toBe(400);
    expect((await response.json()).error.message).toMatch(/documents must not be empty/);
  });
});
