import { expect, test } from "@playwright/test";
import { DEMO_USERS, signedIn } from "./helpers";

test("an anonymous visitor of the agent console is sent to sign in, and back after", async ({ page }) => {
  await page.goto("/agent?q=refund");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fagent%3Fq%3Drefund/);
  await page.getByLabel("E-mail address").fill(DEMO_USERS.agent.email);
  await page.getByLabel("Password").fill(DEMO_USERS.agent.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/agent\?q=refund$/);
  await expect(page.getByRole("heading", { name: "Agent console" })).toBeVisible();
});

test("a wrong password is refused with a message next to the form", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-mail address").fill(DEMO_USERS.agent.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Wrong e-mail address or password");
});

test("an agent sees internal articles, marked, and gets a 403 page on admin pages", async ({ page }) => {
  await signedIn(page, "agent");
  await page.goto("/agent?q=escalation+process+for+lost+parcels&limit=50");
  await expect(page.getByTestId("internal-badge").first()).toBeVisible();
  const response = await page.goto("/admin/users");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: /403/ })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.goto("/agent");
  await expect(page).toHaveURL(/\/login/);
});

test("an admin creates an API key, uses it, and revokes it", async ({ page, request }) => {
  await signedIn(page, "admin");
  await page.goto("/admin/keys");
  await page.getByLabel("Name").fill("ticketing e2e");
  await page.getByLabel("Scope").selectOption("internal");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-key").textContent())!.trim();
  expect(key).toMatch(/^hr_/);
  await expect(page.getByTestId("key-ticketing e2e")).toContainText("internal");

  const headers = { Authorization: `Bearer ${key}` };
  const agentSearch = await request.get("/api/search", { params: { q: "escalation", surface: "agent" }, headers });
  expect(agentSearch.status()).toBe(200);
  const rerank = await request.post("/v1/rerank", { headers, data: { query: "forgot password", documents: ["Shipping takes 3 days.", "Reset your password."] } });
  expect(rerank.status()).toBe(200);
  expect((await rerank.json()).results[0].index).toBe(1);

  await page.reload();
  await page.getByTestId("key-ticketing e2e").getByRole("button", { name: /Revoke/ }).click();
  await expect(page.getByTestId("key-ticketing e2e")).toContainText("Revoked");
  expect((await request.get("/api/search", { params: { q: "escalation", surface: "agent" }, headers })).status()).toBe(401);
});

test("an admin adds an agent, who signs in; disabling ends their session at once", async ({ page, browser }) => {
  await signedIn(page, "admin");
  await page.goto("/admin/users");
  await page.getByLabel("Name").fill("Riley New");
  await page.getByLabel("E-mail address").fill("riley@voltaro.example");
  await page.getByLabel("Initial password").fill("short");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByText("Use at least 12 characters")).toBeVisible();
  await page.getByLabel("Initial password").fill("a long enough password");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("status")).toContainText("Added riley@voltaro.example");

  const rileyContext = await browser.newContext();
  const riley = await rileyContext.newPage();
  await riley.goto("/login");
  await riley.getByLabel("E-mail address").fill("riley@voltaro.example");
  await riley.getByLabel("Password").fill("a long enough password");
  await riley.getByRole("button", { name: "Sign in" }).click();
  await expect(riley).toHaveURL(/\/agent$/);

  await page.getByTestId("user-riley@voltaro.example").getByRole("button", { name: /Disable/ }).click();
  await expect(page.getByTestId("user-riley@voltaro.example")).toContainText("Disabled");
  await riley.goto("/agent");
  await expect(riley).toHaveURL(/\/login/);
  await rileyContext.close();
});
