import { expect, test } from "@playwright/test";
import { signedIn } from "./helpers";

test("an admin edits a preset with a side-by-side preview, saves a version and rolls back", async ({ page }) => {
  await signedIn(page, "admin");
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/presets$/);
  await expect(page.getByTestId("preset-shipping-status-first")).toContainText("shipping-status-first");
  await page.getByRole("link", { name: "Billing and refunds" }).click();
  await expect(page.getByRole("heading", { name: "Billing and refunds" })).toBeVisible();

  // A bad boost line is explained next to the field, and nothing is saved.
  await page.getByLabel("Boosts").fill("category billing");
  await page.getByRole("button", { name: "Save new version" }).click();
  await expect(page.getByText(/Line 1: write kind:value weight/)).toBeVisible();

  // Preview the draft before saving: three columns, with rank changes against keyword order.
  await page.getByLabel("Boosts").fill("category:payments +1");
  await page.getByLabel("Preview query").fill("card");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("preview-keyword").getByRole("listitem").first()).toBeVisible();
  await expect(page.getByTestId("preview-saved").getByRole("listitem").first()).toBeVisible();
  await expect(page.getByTestId("preview-draft").getByRole("listitem").first()).toBeVisible();
  await expect(page.getByTestId("preview-draft")).toContainText(/▲|▼|·|new/);
  await expect(page.getByTestId("preview-steering")).toHaveText("The query says little: the preset steers it fully.");
  // A specific question is steered by a small share only.
  await page.getByLabel("Preview query").fill("my card payment was declined twice at checkout yesterday evening");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("preview-steering")).toHaveText(/The query is specific: the preset steers it \d+%\./);

  await page.getByLabel("Instruction").fill("Prefer articles about card payments.");
  await page.getByRole("button", { name: "Save new version" }).click();
  await expect(page.getByRole("status")).toContainText("Saved as version 2");
  await expect(page.getByTestId("version-2")).toContainText("updated by admin@voltaro.example");
  await expect(page.getByTestId("version-2")).toContainText("+ ");

  await page.getByTestId("version-1").getByRole("button", { name: "Roll back to v1" }).click();
  await expect(page.getByRole("status")).toContainText("Saved as version 3");
  await expect(page.getByTestId("version-3")).toContainText("rolled back to v1");
  await expect(page.getByLabel("Instruction")).toHaveValue(/charges, payments, invoices, fees and refunds/);
});

test("the search API uses a preset by slug and refuses an agent-only one on the help surface", async ({ request }) => {
  const ok = await request.get("/api/search", { params: { q: "package", preset: "shipping-status-first" } });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).instruction.preset).toBe("shipping-status-first");
  const refused = await request.get("/api/search", { params: { q: "package", preset: "agent-internal-first" } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.message).toMatch(/agent surface only/);
});

test("a default preset cannot be deleted; another can", async ({ page }) => {
  await signedIn(page, "admin");
  await page.goto("/admin/presets");
  await expect(page.getByTestId("preset-help").getByRole("button", { name: /Delete/ })).toHaveCount(0);
  await page.getByTestId("preset-self-service-steps").getByRole("button", { name: "Make help default" }).click();
  await expect(page.getByRole("status")).toContainText("self-service-steps is now the help default");
  await page.getByTestId("preset-help").getByRole("button", { name: "Make help default" }).click();
  await expect(page.getByRole("status")).toContainText("help is now the help default");
});

test("the rerank playground ranks pasted documents and shows where each one came from", async ({ page }) => {
  await signedIn(page, "admin");
  await page.goto("/admin/playground");
  await page.getByLabel("Query").fill("I forgot my password");
  await page.getByLabel(/Documents/).fill("Returns are accepted for 30 days.\nReset your password from the sign-in page.\nShipping takes 3 to 5 days.");
  await page.getByRole("button", { name: "Rerank" }).click();
  await expect(page.getByTestId("playground-summary")).toContainText("ms");
  const rows = page.getByTestId("playground-row");
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText("Reset your password");
  await expect(rows.first()).toContainText("was #2");
});
