import { expect, test, type Browser, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import Database from "better-sqlite3";
import { startApp, type AppProcess } from "./app-process";
import { signedIn } from "./helpers";

/**
 * Cross-cutting journeys (issue 12, section 6): an agent's keyboard search and click reach the
 * admin's analytics; an admin's preset edit reaches the agent console's ranking; signing out ends
 * the session on the server.
 *
 * They run on a production server of this spec's own (e2e/app-process.ts, the shared server's
 * settings) with a fresh database: the analytics then hold this spec's searches only, and the
 * preset it edits is no other spec's. The dashboard reads searches and events live from the
 * database (app/events/analytics.server.ts); what is refreshed on a schedule is the click prior
 * used in ranking (CLICK_PRIOR_REFRESH_S, published at start and every 600 s), which no journey
 * here waits for. The click itself arrives by beacon, after the page has moved on: the test polls
 * for it instead of sleeping.
 */

let app: AppProcess;

test.describe.configure({ mode: "serial", timeout: 60_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await startApp();
});

test.afterAll(async () => {
  await app?.stop();
});

async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: app.url });
}

function appDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(app.databasePath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** A screenshot of the journey's key page, kept in the test's output folder (test-results/…) and attached to the report. */
async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(name);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

const consoleBox = (page: Page) => page.getByRole("searchbox", { name: "Search public and internal articles" });
const consoleItems = (page: Page) => page.getByTestId("console-results").locator("ol > li");

test("an agent searches with the keyboard only, opens the second result, and the admin sees the click in analytics", async ({ browser }, testInfo) => {
  const QUERY = "goodwill credit limits";
  const agentContext = await newContext(browser);
  const adminContext = await newContext(browser);
  try {
    // Sign in with the keyboard: type, Tab, type, Enter.
    const agent = await agentContext.newPage();
    await agent.goto("/login");
    await agent.getByLabel("E-mail address").focus();
    await agent.keyboard.type("agent@voltaro.example");
    await agent.keyboard.press("Tab");
    await expect(agent.getByLabel("Password")).toBeFocused();
    await agent.keyboard.type("demo-agent-password");
    await agent.keyboard.press("Enter");
    await expect(agent).toHaveURL(/\/agent$/);
    await expect(agent.getByTestId("signed-in-as")).toContainText("Sam Agent");

    // The console opens with the search box focused; Tab leaves it and `/` comes back to it.
    await expect(consoleBox(agent)).toBeFocused();
    await agent.keyboard.press("Tab");
    await expect(consoleBox(agent)).not.toBeFocused();
    await agent.keyboard.press("/");
    await expect(consoleBox(agent)).toBeFocused();
    await expect(consoleBox(agent)).toHaveValue("");
    // The query is typed and asked for with Enter.
    await agent.keyboard.type(QUERY, { delay: 15 });
    await agent.keyboard.press("Enter");
    await expect(agent.getByTestId("result-summary")).toHaveText(new RegExp(`for “${QUERY}”`));
    await expect(consoleItems(agent).nth(1)).toBeVisible();

    // Arrow down to the first result, j to the second, Enter opens it.
    await agent.keyboard.press("ArrowDown");
    await expect(consoleItems(agent).nth(0)).toHaveAttribute("aria-current", "true");
    await agent.keyboard.press("j");
    await expect(consoleItems(agent).nth(1)).toHaveAttribute("aria-current", "true");
    const slug = (await consoleItems(agent).nth(1).getAttribute("data-slug"))!;
    const title = ((await consoleItems(agent).nth(1).locator("h3 a").textContent()) ?? "").trim();
    await agent.keyboard.press("Enter");
    await expect(agent).toHaveURL(`/agent/articles/${slug}`);
    await expect(agent.getByRole("heading", { level: 1 })).toHaveText(title);

    // The click is stored (by beacon) against the settled search, at position 1 (the second result).
    await expect
      .poll(() =>
        appDb((db) =>
          db
            .prepare(
              `SELECT e.position FROM events e JOIN searches s ON s.id = e.search_id
               WHERE e.kind = 'click' AND s.query = ? AND s.settled_at IS NOT NULL AND e.slug = ?`,
            )
            .pluck()
            .all(QUERY, slug),
        ),
      )
      .toEqual([1]);

    // The admin's dashboard (agent console only): the query, with its click; the CSV says at rank 2.
    const admin = await signedIn(await adminContext.newPage(), "admin");
    await admin.goto("/admin/analytics?surface=agent");
    const headline = admin.getByTestId("headline");
    await expect(headline.locator("div", { hasText: "Searches" }).locator("dd").first()).not.toHaveText("0");
    await expect(headline.locator("div", { hasText: "First-click CTR" }).locator("dd").first()).not.toHaveText(/^(0\.0%|—)$/);
    const row = admin.getByTestId("top-queries").locator("tbody tr", { hasText: QUERY });
    await expect(row).toHaveCount(1);
    await expect(row.locator("td").nth(2)).toHaveText(/^(?!0\.0%)\d+\.\d%$/);
    await expect(admin.getByTestId("top-no-click")).not.toContainText(QUERY);
    await attachScreenshot(admin, testInfo, "journey-analytics.png");

    const csv = await admin.request.get("/admin/analytics.csv?surface=agent");
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).split("\r\n").filter((line) => line.includes(`,agent,${QUERY},`));
    expect(lines.length).toBeGreaterThan(0);
    // search_id,created_at,surface,query,results,first_click_rank,…
    expect(lines.map((line) => line.split(",")[5])).toContain("2");
  } finally {
    await agentContext.close();
    await adminContext.close();
  }
});

test("an admin changes a preset's boosts, previews the new order, saves, and the agent console ranks with it", async ({ browser }, testInfo) => {
  const PRESET = "agent";
  const QUERY = "refund";
  const adminContext = await newContext(browser);
  const agentContext = await newContext(browser);
  try {
    // The agent's ranking under the preset as saved.
    const agent = await signedIn(await agentContext.newPage(), "agent");
    const consoleOrder = async () => {
      await agent.goto(`/agent?q=${QUERY}&preset=${PRESET}`);
      await expect(agent.getByTestId("result-summary")).toHaveText(new RegExp(`for “${QUERY}”`));
      return consoleItems(agent).evaluateAll((lis) => lis.map((li) => li.getAttribute("data-slug")!));
    };
    const before = await consoleOrder();
    expect(before.length).toBeGreaterThan(3);

    // The admin previews the query on the agent console with the saved preset, and picks the second result to lift.
    const admin = await signedIn(await adminContext.newPage(), "admin");
    await admin.goto(`/admin/presets/${PRESET}`);
    await expect(admin.getByText(`${PRESET} · version 1`)).toBeVisible();
    const slugsOf = (column: string) => admin.getByTestId(`preview-${column}`).locator("li span[title]").evaluateAll((spans) => spans.map((s) => s.getAttribute("title")!));
    await admin.getByLabel("Preview query").fill(QUERY);
    await admin.getByLabel("Preview surface").selectOption("agent");
    await admin.getByRole("button", { name: "Preview" }).click();
    await expect(admin.getByTestId("preview-saved").getByRole("listitem").first()).toBeVisible();
    const saved = await slugsOf("saved");
    expect(saved[0]).toBe(before[0]);
    const lifted = saved[1]!;
    expect(lifted).not.toBe(before[0]);

    // The draft: one boost more. The preview shows it first, the saved column unchanged.
    const boosts = admin.getByLabel("Boosts");
    const existing = (await boosts.inputValue()).trim();
    await boosts.fill(`${existing ? `${existing}\n` : ""}article:${lifted} +1`);
    await admin.getByLabel("Preview query").fill(QUERY);
    await admin.getByLabel("Preview surface").selectOption("agent");
    await admin.getByRole("button", { name: "Preview" }).click();
    await expect.poll(async () => (await slugsOf("draft"))[0]).toBe(lifted);
    expect((await slugsOf("saved"))[0]).toBe(before[0]);
    expect((await slugsOf("draft")).slice(0, 2)).toEqual([lifted, saved[0]]);
    await attachScreenshot(admin, testInfo, "journey-preset-preview.png");

    await admin.getByRole("button", { name: "Save new version" }).click();
    await expect(admin.getByRole("status")).toContainText("Saved as version 2");
    await expect(admin.getByTestId("version-2")).toContainText(lifted);

    // The agent searching with that preset now sees the lifted article first; the rest keep their order.
    const after = await consoleOrder();
    expect(after[0]).toBe(lifted);
    expect(after.filter((s) => s !== lifted).slice(0, 3)).toEqual(before.filter((s) => s !== lifted).slice(0, 3));
    await expect(agent.getByTestId("console-results")).toBeVisible();
    await attachScreenshot(agent, testInfo, "journey-preset-agent-console.png");
  } finally {
    await adminContext.close();
    await agentContext.close();
  }
});

test("signing out ends the session on the server: protected pages, and the old cookie, go to sign-in", async ({ browser }, testInfo) => {
  const context = await newContext(browser);
  const replay = await newContext(browser);
  try {
    const page = await signedIn(await context.newPage(), "admin");
    await page.goto("/admin/analytics");
    await expect(page.getByRole("heading", { name: "Analytics" })).toBeVisible();
    const cookies = await context.cookies();
    expect(cookies.length).toBeGreaterThan(0);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).not.toHaveURL(/\/admin/);
    await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
    for (const url of ["/agent", "/admin/analytics", "/account/password"]) {
      await page.goto(url);
      await expect(page, url).toHaveURL(new RegExp(`/login\\?redirectTo=${encodeURIComponent(url).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
    }
    await attachScreenshot(page, testInfo, "journey-signed-out.png");

    // The cookie from before signing out, replayed by someone else: the server no longer knows it.
    await replay.addCookies(cookies);
    const stale = await replay.newPage();
    await stale.goto("/admin/analytics");
    await expect(stale).toHaveURL(/\/login\?redirectTo=/);
    const api = await replay.request.get("/api/search", { params: { q: "escalation", surface: "agent" } });
    expect(api.status()).toBe(401);
  } finally {
    await context.close();
    await replay.close();
  }
});
