import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import matter from "gray-matter";
import { startApp, type AppProcess } from "./app-process";
import { DEMO_USERS } from "./helpers";

/**
 * Leak hunt (issue 12, section 6): every internal seed article is searched for, by its title, its
 * first written question and a sentence of its body, and opened by its addresses, as an anonymous
 * visitor and with a public-scoped API key — the /help page (HTML and its Remix data request), the
 * JSON API with and without surface=help, under every preset allowed on the help surface and a free
 * instruction that asks for internal procedures. No response body may hold the article's slug,
 * title or body sentence, and no result may have audience internal.
 *
 * The spec runs a production server of its own (e2e/app-process.ts) with RATE_LIMIT_SEARCH_PER_MIN=0:
 * it makes several hundred searches in a minute, past the shared server's 300 a minute, and a 429
 * would say nothing about leaks.
 */

interface SeedArticle {
  slug: string;
  title: string;
  category: string;
  audience: string;
  /** The first of its `questions:` (how an agent would ask). */
  question: string;
  /** The first sentence of its body prose with at least 8 words and no Markdown markup. */
  sentence: string;
  text: string;
}

function seedArticles(): SeedArticle[] {
  const root = path.resolve("seed/articles");
  return fs
    .readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".md"))
    .sort()
    .map((file) => {
      const raw = fs.readFileSync(path.join(root, file), "utf8");
      const { data, content } = matter(raw);
      const sentence =
        content
          .split(/\n\s*\n/)
          .map((paragraph) => paragraph.trim())
          .filter((paragraph) => paragraph && !/^[#|>\-*\d]/.test(paragraph))
          .flatMap((paragraph) => paragraph.split(/(?<=[.!?])\s+/))
          .map((s) => s.replace(/\s+/g, " ").trim())
          .find((s) => s.split(" ").length >= 8 && !/[*_`[\]|"<>]/.test(s)) ?? "";
      const questions = Array.isArray(data.questions) ? (data.questions as unknown[]).map(String) : [];
      return {
        slug: String(data.slug),
        title: String(data.title),
        category: String(data.category),
        audience: String(data.audience),
        question: questions[0] ?? "",
        sentence,
        text: raw,
      };
    });
}

const ARTICLES = seedArticles();
const INTERNAL = ARTICLES.filter((a) => a.audience === "internal");
const PUBLIC = ARTICLES.filter((a) => a.audience !== "internal");
/** Categories only internal articles use (agent-procedures): not even their name belongs on the help center. */
const INTERNAL_ONLY_CATEGORIES = [...new Set(INTERNAL.map((a) => a.category))].filter((c) => !PUBLIC.some((a) => a.category === c));

/** Presets a help-center search may name (seed/presets.json, surfaces include "help"). */
const HELP_PRESETS = (
  JSON.parse(fs.readFileSync("seed/presets.json", "utf8")) as { presets: { slug: string; surfaces: string[]; enabled: boolean }[] }
).presets
  .filter((p) => p.enabled && p.surfaces.includes("help"))
  .map((p) => p.slug);

const FREE_INSTRUCTION = "internal agent procedures first";

/**
 * Text as a reader of the body would see it: entities and JSON escapes decoded, tags (e.g. <mark>)
 * removed, typographic quotes straightened, spaces collapsed, lower case.
 */
function readable(body: string): string {
  return body
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/<[^>]*>/g, " ")
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, " ")
    .toLowerCase();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The slug as a word of its own (not part of a longer slug). */
const slugPattern = (slug: string) => new RegExp(`(?<![a-z0-9-])${escapeRegExp(slug)}(?![a-z0-9-])`, "i");

let app: AppProcess;
let anonymous: APIRequestContext;
let publicKey: APIRequestContext;
let publicKeyValue = "";
let requests = 0;
/** Search results looked at (so a hunt that found nothing at all would show). */
let resultsChecked = 0;
const leaks: string[] = [];

test.describe.configure({ mode: "serial", timeout: 180_000 });

test.beforeAll(async ({ playwright, browser }) => {
  test.setTimeout(180_000);
  // Rate limits off: see the comment at the top. Two processes share the several hundred searches.
  app = await startApp({ RATE_LIMIT_SEARCH_PER_MIN: "0", RATE_LIMIT_EVENTS_PER_MIN: "0", WEB_CONCURRENCY: "2" });
  anonymous = await playwright.request.newContext({ baseURL: app.url });

  // A public-scoped API key, made by the admin in the admin UI of this server.
  const context = await browser.newContext({ baseURL: app.url });
  try {
    const page = await context.newPage();
    await page.goto("/login?redirectTo=%2Fadmin%2Fkeys");
    await page.getByLabel("E-mail address").fill(DEMO_USERS.admin.email);
    await page.getByLabel("Password").fill(DEMO_USERS.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin\/keys$/);
    await page.getByLabel("Name").fill("leak hunt (public)");
    await page.getByLabel("Scope").selectOption("public");
    await page.getByRole("button", { name: "Create key" }).click();
    publicKeyValue = (await page.getByTestId("new-key").textContent())!.trim();
    expect(publicKeyValue).toMatch(/^hr_/);
    await expect(page.getByTestId("key-leak hunt (public)")).toContainText("public");
  } finally {
    await context.close();
  }
  publicKey = await playwright.request.newContext({ baseURL: app.url, extraHTTPHeaders: { Authorization: `Bearer ${publicKeyValue}` } });
});

test.afterAll(async () => {
  await anonymous?.dispose();
  await publicKey?.dispose();
  await app?.stop();
});

/**
 * Looks for `article` in one response body. `echoes` are the strings the request itself carried
 * (the query, the address asked for): a page may repeat those back, which is not a leak, so they
 * are cut out before looking (a leaked result still carries the slug in its address).
 */
function hunt(what: string, body: string, article: SeedArticle, echoes: string[] = [], found: string[] = leaks): void {
  let text = readable(body);
  for (const echo of echoes) {
    const readableEcho = readable(echo);
    if (readableEcho) text = text.split(readableEcho).join(" ");
  }
  if (slugPattern(article.slug).test(text)) found.push(`${what}: slug ${article.slug}`);
  for (const [name, marker] of [["title", article.title], ["sentence", article.sentence]] as const) {
    if (text.includes(readable(marker))) found.push(`${what}: ${name} of ${article.slug} (“${marker}”)`);
  }
  for (const category of INTERNAL_ONLY_CATEGORIES) {
    if (slugPattern(category).test(text)) found.push(`${what}: internal-only category ${category}`);
  }
}

/** Results of a search answer (API JSON or a page's loader data): none may be internal. */
function huntResults(what: string, results: unknown): void {
  if (!Array.isArray(results)) return;
  resultsChecked += results.length;
  for (const item of results as { slug?: string; audience?: string }[]) {
    if (item.audience !== "public") leaks.push(`${what}: result ${item.slug} has audience ${item.audience}`);
    if (INTERNAL.some((a) => a.slug === item.slug)) leaks.push(`${what}: result ${item.slug} is internal`);
  }
}

async function get(
  client: APIRequestContext,
  url: string,
  params: Record<string, string> = {},
  maxRedirects?: number,
): Promise<{ response: APIResponse; body: string; address: string }> {
  requests++;
  const query = new URLSearchParams(params).toString();
  const address = query ? `${url}?${query}` : url;
  const response = await client.get(address, maxRedirects === undefined ? {} : { maxRedirects });
  return { response, body: await response.text(), address };
}

/** Runs `jobs` with `width` at a time. */
async function pool(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

test("the seed has internal articles with distinctive titles and sentences, and help presets to try", () => {
  // Guards the hunt below against passing vacuously: each marker is absent from every public article.
  expect(INTERNAL.length).toBeGreaterThanOrEqual(20);
  expect(HELP_PRESETS).toEqual(expect.arrayContaining(["help", "shipping-status-first"]));
  expect(HELP_PRESETS).not.toContain("agent-internal-first");
  const publicText = readable(PUBLIC.map((a) => a.text).join("\n"));
  for (const article of INTERNAL) {
    expect(article.title.length, article.slug).toBeGreaterThan(5);
    expect(article.question.length, article.slug).toBeGreaterThan(3);
    expect(article.sentence.split(" ").length, article.slug).toBeGreaterThanOrEqual(8);
    for (const marker of [article.title, article.sentence]) expect(publicText, `${article.slug}: “${marker}” is in a public article`).not.toContain(readable(marker));
    expect(slugPattern(article.slug).test(publicText), `${article.slug} is named in a public article`).toBe(false);
  }
});

test("the hunt finds a public article where it is shown (its detector works on HTML, page data and JSON)", async () => {
  // A public article stands in for a leaked one: searched for by its question and opened, it must be found.
  const counted = requests; // not part of the hunt's count
  const article = PUBLIC.find((a) => a.slug === "track-your-order")!;
  expect(article.sentence).not.toBe("");
  const found = (what: string, body: string, echoes: string[] = []) => {
    const sink: string[] = [];
    hunt(what, body, article, echoes, sink);
    return sink.map((line) => line.replace(/ \(“.*$/, "").replace(/^.*: /, ""));
  };
  const q = article.question;
  expect(found("page", (await get(anonymous, "/help", { q })).body, [q])).toContain("slug track-your-order");
  expect(found("data", (await get(anonymous, "/help.data", { q })).body, [q])).toContain("slug track-your-order");
  expect(found("api", (await get(anonymous, "/api/search", { q, limit: "50" })).body, [q])).toEqual(expect.arrayContaining(["slug track-your-order", "title of track-your-order"]));
  const page = (await get(anonymous, `/help/articles/${article.slug}`)).body;
  expect(found("article", page)).toEqual(["slug track-your-order", "title of track-your-order", "sentence of track-your-order"]);
  // Echoes are cut out: the title searched for is not itself a finding, the result's slug still is.
  expect(found("api", (await get(anonymous, "/api/search", { q: article.title })).body, [article.title])).toEqual(["slug track-your-order"]);
  requests = counted;
});

test("no internal article leaks through help-center search, the search API, presets or an instruction", async () => {
  test.setTimeout(240_000);
  const started = Date.now();
  const before = requests;
  const jobs: (() => Promise<void>)[] = [];
  for (const article of INTERNAL) {
    for (const q of [article.title, article.question, article.sentence]) {
      const echoes = [q];
      // The help page, as HTML and as the data requests a client-side navigation makes (single fetch's
      // `.data`, which this app uses, and the older `?_data=<route id>`).
      jobs.push(async () => {
        const { response, body, address } = await get(anonymous, "/help", { q });
        expect(response.status(), address).toBe(200);
        hunt(`GET ${address}`, body, article, echoes);
      });
      jobs.push(async () => {
        const { response, body, address } = await get(anonymous, "/help", { q, _data: "routes/help._index" });
        expect(response.status(), address).toBe(200);
        hunt(`GET ${address}`, body, article, echoes);
        huntResults(`GET ${address}`, (JSON.parse(body) as { result?: { results?: unknown } }).result?.results);
      });
      jobs.push(async () => {
        const { response, body, address } = await get(anonymous, "/help.data", { q });
        expect(response.status(), address).toBe(200);
        hunt(`GET ${address}`, body, article, echoes);
      });
      // The JSON API: anonymous with and without surface, under each help preset and an instruction, and with a public key.
      const variants: [string, APIRequestContext, Record<string, string>][] = [
        ["anonymous", anonymous, { surface: "help" }],
        ["anonymous", anonymous, {}],
        ["anonymous", anonymous, { locale: "all" }],
        ...HELP_PRESETS.map((preset): [string, APIRequestContext, Record<string, string>] => ["anonymous", anonymous, { surface: "help", preset }]),
        ["anonymous", anonymous, { surface: "help", instruction: FREE_INSTRUCTION }],
        ["public key", publicKey, { surface: "help" }],
        ["public key", publicKey, { instruction: FREE_INSTRUCTION }],
      ];
      for (const [who, client, extra] of variants) {
        jobs.push(async () => {
          const { response, body, address } = await get(client, "/api/search", { q, limit: "50", ...extra });
          expect(response.status(), `${who} ${address}: ${body.slice(0, 200)}`).toBe(200);
          hunt(`${who} GET ${address}`, body, article, echoes);
          huntResults(`${who} GET ${address}`, (JSON.parse(body) as { results?: unknown }).results);
        });
      }
      // The agent surface: 401 without credentials, 403 with a public key; neither says anything about the article.
      for (const [who, client, status] of [["anonymous", anonymous, 401], ["public key", publicKey, 403]] as const) {
        jobs.push(async () => {
          const { response, body, address } = await get(client, "/api/search", { q, surface: "agent", limit: "50" });
          expect(response.status(), `${who} ${address}`).toBe(status);
          hunt(`${who} GET ${address}`, body, article, echoes);
        });
      }
    }
  }
  await pool(jobs, 6);
  console.log(
    `leak hunt (search): ${requests - before} requests for ${INTERNAL.length} internal articles, ${resultsChecked} results checked, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s, ${leaks.length} leaks`,
  );
  expect(leaks).toEqual([]);
  // The searches did answer: hundreds of public results were looked at, not empty lists.
  expect(resultsChecked).toBeGreaterThan(INTERNAL.length * 3 * 10);
});

test("no internal article opens anonymously or with a public key at any of its addresses", async () => {
  const before = requests;
  const NO_SUCH = "no-such-article-at-all";
  // What a missing article looks like: an internal one must look the same.
  const missing = await get(anonymous, `/help/articles/${NO_SUCH}`);
  expect(missing.response.status()).toBe(404);
  /** A page's text with the slug asked for and the CSRF token (new in every response) taken out. */
  const comparable = (body: string, slug: string) =>
    readable(body).split(slug).join("<slug>").replace(/[a-z0-9_-]{20,}\.[a-z0-9_-]{20,}/g, "<token>");

  const jobs: (() => Promise<void>)[] = [];
  for (const article of INTERNAL) {
    const { slug } = article;
    // Asked for by slug: a page may repeat the address it was asked for (e.g. ?redirectTo=…).
    const echoes = [`/agent/articles/${slug}`, encodeURIComponent(`/agent/articles/${slug}`), `/help/articles/${slug}`];
    jobs.push(async () => {
      for (const [who, client] of [["anonymous", anonymous], ["public key", publicKey]] as const) {
        // The help-center page: the same 404 page as an article that does not exist.
        const page = await get(client, `/help/articles/${slug}`);
        expect(page.response.status(), `${who} ${page.address}`).toBe(404);
        hunt(`${who} GET ${page.address}`, page.body, article, echoes);
        expect(comparable(page.body, slug), `${who}: /help/articles/${slug} differs from a missing article's page`).toBe(comparable(missing.body, NO_SUCH));
        // Its Remix data requests: single fetch (`.data`, this app's mode) and the older `?_data=`.
        const dataRequests: [string, Record<string, string>, number][] = [
          [`/help/articles/${slug}`, { lang: "zh" }, 404],
          [`/help/articles/${slug}.data`, {}, 404],
          [`/help/articles/${slug}.data`, { _routes: "routes/help.articles.$slug" }, 404],
          [`/help/articles/${slug}`, { _data: "routes/help.articles.$slug" }, 404],
          [`/help/articles/${slug}`, { _data: "root" }, 200],
        ];
        for (const [url, params, status] of dataRequests) {
          const data = await get(client, url, params);
          expect(data.response.status(), `${who} ${data.address}`).toBe(status);
          hunt(`${who} GET ${data.address}`, data.body, article, echoes);
        }

        // The agent console's page: sign in first (a redirect to /login, whatever the slug).
        const agent = await get(client, `/agent/articles/${slug}`, {}, 0);
        expect(agent.response.status(), `${who} ${agent.address}`).toBe(302);
        expect(agent.response.headers().location).toBe(`/login?redirectTo=${encodeURIComponent(`/agent/articles/${slug}`)}`);
        hunt(`${who} GET ${agent.address}`, agent.body, article, echoes);
        const login = await get(client, `/agent/articles/${slug}`);
        expect(login.response.url()).toContain("/login?redirectTo=");
        hunt(`${who} GET ${login.address} (followed to sign-in)`, login.body, article, echoes);
        const agentData = await get(client, `/agent/articles/${slug}`, { _data: "routes/agent.articles.$slug" }, 0);
        expect(agentData.response.status(), `${who} ${agentData.address}`).toBe(204);
        expect(agentData.response.headers()["x-remix-redirect"]).toMatch(/^\/login\?redirectTo=/);
        hunt(`${who} GET ${agentData.address}`, agentData.body, article, echoes);
        const agentSingle = await get(client, `/agent/articles/${slug}.data`, {}, 0);
        expect(agentSingle.response.status(), `${who} ${agentSingle.address}`).toBe(202);
        expect(agentSingle.response.headers().location).toMatch(/^\/login\?redirectTo=/);
        hunt(`${who} GET ${agentSingle.address}`, agentSingle.body, article, echoes);

        // The old address: to the help center (not signed in), so the same 404.
        const old = await get(client, `/articles/${slug}`, {}, 0);
        expect(old.response.status(), `${who} ${old.address}`).toBe(302);
        expect(old.response.headers().location).toBe(`/help/articles/${slug}`);
        const followed = await get(client, `/articles/${slug}`);
        expect(followed.response.status(), `${who} ${followed.address} (followed)`).toBe(404);
        hunt(`${who} GET ${followed.address} (followed)`, followed.body, article, echoes);
        const oldData = await get(client, `/articles/${slug}`, { _data: "routes/articles.$slug" }, 0);
        expect(oldData.response.headers()["x-remix-redirect"], `${who} ${oldData.address}`).toBe(`/help/articles/${slug}`);
        hunt(`${who} GET ${oldData.address}`, oldData.body, article, echoes);
        const oldSingle = await get(client, `/articles/${slug}.data`, {}, 0);
        expect(oldSingle.response.headers().location, `${who} ${oldSingle.address}`).toBe(`/help/articles/${slug}`);
        hunt(`${who} GET ${oldSingle.address}`, oldSingle.body, article, echoes);
      }
    });
  }
  // Its category, on the help center: not a topic there.
  for (const category of INTERNAL_ONLY_CATEGORIES) {
    jobs.push(async () => {
      for (const [url, params] of [["", {}], ["", { _data: "routes/help.categories.$category" }], [".data", {}], ["", { lang: "zh" }]] as [string, Record<string, string>][]) {
        const { response, body, address } = await get(anonymous, `/help/categories/${category}${url}`, params);
        expect(response.status(), address).toBe(404);
        for (const article of INTERNAL) hunt(`GET ${address}`, body, article);
      }
    });
  }
  // The help home and its topic tiles name none of it.
  jobs.push(async () => {
    for (const [url, params] of [["/help", {}], ["/help", { lang: "zh" }], ["/help", { _data: "routes/help._index" }], ["/help.data", {}]] as [string, Record<string, string>][]) {
      const { body, address } = await get(anonymous, url, params);
      for (const article of INTERNAL) hunt(`GET ${address}`, body, article);
    }
  });
  await pool(jobs, 6);
  console.log(`leak hunt (addresses): ${requests - before} requests, ${leaks.length} leaks`);
  expect(leaks).toEqual([]);
});

test("in the browser, an anonymous visitor finds and opens nothing internal", async ({ browser }, testInfo) => {
  const context = await browser.newContext({ baseURL: app.url });
  try {
    const page = await context.newPage();
    const article = INTERNAL.find((a) => a.slug === "escalation-matrix") ?? INTERNAL[0]!;
    await page.goto("/help");
    const box = page.getByRole("searchbox", { name: "Search help articles" });
    await box.fill(article.title);
    await box.press("Enter");
    await expect(page.getByTestId("result-summary")).toBeVisible();
    requests++;
    hunt(`browser /help?q=${article.title}`, await page.content(), article, [article.title]);
    for (const a of INTERNAL) if (a !== article) hunt(`browser /help?q=${article.title}`, await page.content(), a, [article.title]);
    await page.screenshot({ path: testInfo.outputPath("leak-hunt-help-search.png"), fullPage: true });

    const response = await page.goto(`/help/articles/${article.slug}`);
    requests++;
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    hunt(`browser /help/articles/${article.slug}`, await page.content(), article, [`/help/articles/${article.slug}`]);
  } finally {
    await context.close();
  }
  console.log(`leak hunt: ${requests} requests, ${leaks.length} leaks`);
  expect(leaks).toEqual([]);
});
