import { expect, type Page } from "@playwright/test";

/** The demo users of seed/users.json (the e2e server runs with ALLOW_DEMO_USERS=true). */
export const DEMO_USERS = {
  admin: { email: "admin@voltaro.example", password: "demo-admin-password", name: "Ada Admin" },
  agent: { email: "agent@voltaro.example", password: "demo-agent-password", name: "Sam Agent" },
} as const;

/** Signs in through the login form, as a person would; returns the page (its `request` shares the cookies). */
export async function signedIn(page: Page, who: keyof typeof DEMO_USERS, redirectTo?: string): Promise<Page> {
  const user = DEMO_USERS[who];
  await page.goto(redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : "/login");
  await page.getByLabel("E-mail address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(user.name);
  return page;
}
