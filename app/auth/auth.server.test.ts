import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The routes read their services from the environment: a fresh database file of their own.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-auth-"));
process.env.DATABASE_PATH = path.join(dir, "auth.db");
process.env.ENGINE = "sqlite";
process.env.LOGIN_MAX_FAILURES_PER_ACCOUNT = "3";
process.env.LOGIN_MAX_FAILURES_PER_IP = "6";

const { getServices } = await import("~/services.server");
const { importArticles } = await import("~/articles/import.server");
const { seedDemoUsers, assertNoDemoPasswords, DemoPasswordError } = await import("./seed-users.server");
const { Browser, outcome } = await import("~/test/route-client");
const login = await import("~/routes/login");
const logout = await import("~/routes/logout");
const adminLayout = await import("~/routes/admin");
const adminUsers = await import("~/routes/admin.users");
const adminKeys = await import("~/routes/admin.keys");
const agentPage = await import("~/routes/agent._index");
const apiSearch = await import("~/routes/api.search");
const rerank = await import("~/routes/v1.rerank");
const article = await import("~/routes/agent.articles.$slug");
const helpArticle = await import("~/routes/help.articles.$slug");

const BASE = "http://test";
const ctx = (address = "10.0.0.1") => ({ clientAddress: address });

const ADMIN = { email: "admin@voltaro.example", password: "demo-admin-password" };
const AGENT = { email: "agent@voltaro.example", password: "demo-agent-password" };

beforeAll(async () => {
  const services = await getServices();
  await importArticles({ dir: "seed/articles", store: services.store, engine: services.engine });
  await services.refreshIndexes();
  expect(await seedDemoUsers(services.users, "seed/users.json")).toBe(2);
});
afterAll(async () => {
  await (await getServices()).close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("passwords and demo users", () => {
  it("stores argon2id hashes, never the password", async () => {
    const { db } = await getServices();
    const hashes = db.prepare("SELECT password_hash FROM users").pluck().all() as string[];
    expect(hashes).toHaveLength(2);
    for (const hash of hashes) {
      expect(hash).toMatch(/^\$argon2id\$/);
      expect(hash).not.toContain("demo-");
    }
  });

  it("refuses a production start while a demo password is unchanged, unless allowed", async () => {
    const { users } = await getServices();
    expect(() => assertNoDemoPasswords(users, { NODE_ENV: "production", ALLOW_DEMO_USERS: false })).toThrow(DemoPasswordError);
    expect(() => assertNoDemoPasswords(users, { NODE_ENV: "production", ALLOW_DEMO_USERS: true })).not.toThrow();
    expect(() => assertNoDemoPasswords(users, { NODE_ENV: "development", ALLOW_DEMO_USERS: false })).not.toThrow();
  });
});

describe("guards", () => {
  it("sends anonymous visitors of /agent and /admin to /login with a safe redirectTo", async () => {
    const anon = await new Browser().init();
    for (const [route, pathname] of [[agentPage, "/agent?q=refund"], [adminLayout, "/admin/users"], [adminUsers, "/admin/users"], [adminKeys, "/admin/keys"]] as const) {
      const response = await outcome(() => route.loader({ request: anon.request(pathname), params: {}, context: {} }));
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: pathname })}`);
    }
    // A data request for the page comes back to the page itself after sign-in.
    for (const data of ["/agent?q=refund&_data=routes%2Fagent._index", "/agent.data?q=refund&_routes=routes%2Fagent._index"]) {
      const response = await outcome(() => agentPage.loader({ request: anon.request(data), params: {}, context: {} }));
      expect(response.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: "/agent?q=refund" })}`);
    }
  });

  it("gives an agent 403 on every admin route, and an admin 200", async () => {
    const agent = await new Browser().init();
    expect((await agent.signIn(AGENT.email, AGENT.password)).status).toBe(302);
    const admin = await new Browser().init();
    expect((await admin.signIn(ADMIN.email, ADMIN.password)).headers.get("Location")).toBe("/admin");
    for (const route of [adminLayout, adminUsers, adminKeys]) {
      expect((await outcome(() => route.loader({ request: agent.request("/admin/x"), params: {}, context: {} }))).status).toBe(403);
      expect((await outcome(() => route.loader({ request: admin.request("/admin/x"), params: {}, context: {} })))?.status ?? 200).toBe(200);
    }
    const agentAction = await outcome(() => adminKeys.action({ request: agent.request("/admin/keys", { form: { intent: "create", name: "x", scope: "internal" } }), params: {}, context: {} }));
    expect(agentAction.status).toBe(403);
    expect((await outcome(() => agentPage.loader({ request: agent.request("/agent"), params: {}, context: {} }))).status).toBe(200);
  });

  it("only follows same-site redirectTo values after login", async () => {
    const browser = await new Browser().init();
    const response = await login.action({ request: browser.request("/login", { form: { ...AGENT, redirectTo: "//evil.example/x" } }), params: {}, context: ctx("10.0.0.9") }) as Response;
    expect(response.headers.get("Location")).toBe("/agent");
    const back = await new Browser().init();
    const ok = await login.action({ request: back.request("/login", { form: { ...AGENT, redirectTo: "/agent?q=refund" } }), params: {}, context: ctx("10.0.0.9") }) as Response;
    expect(ok.headers.get("Location")).toBe("/agent?q=refund");
  });
});

describe("CSRF", () => {
  it("rejects a form without the token or with another browser's token", async () => {
    const admin = await new Browser().init();
    await admin.signIn(ADMIN.email, ADMIN.password);
    const missing = await outcome(() => adminUsers.action({ request: admin.request("/admin/users", { form: { intent: "disable", userId: "2" }, csrf: false }), params: {}, context: {} }));
    expect(missing.status).toBe(403);
    const other = await new Browser().init();
    const forged = admin.request("/admin/users", { form: { intent: "disable", userId: "2", csrf: other.token }, csrf: false });
    expect((await outcome(() => adminUsers.action({ request: forged, params: {}, context: {} }))).status).toBe(403);
    expect((await outcome(() => login.action({ request: other.request("/login", { form: ADMIN, csrf: false }), params: {}, context: ctx() }))).status).toBe(403);
    const { users } = await getServices();
    expect(users.byEmail(AGENT.email)?.disabled).toBe(false);
  });
});

describe("login rate limit", () => {
  it("locks an account after repeated failures, per account and per client address", async () => {
    const { users } = await getServices();
    await users.create({ email: "victim@voltaro.example", name: "Victim", role: "agent", password: "correct horse battery" });
    const browser = await new Browser().init();
    for (let i = 0; i < 3; i++) {
      const wrong = await browser.signIn("victim@voltaro.example", `wrong-${i}`, "10.1.0.1");
      expect(wrong.status).toBe(400);
      expect(JSON.stringify(await wrong.json())).toContain("Wrong e-mail address or password");
    }
    const locked = await browser.signIn("victim@voltaro.example", "correct horse battery", "10.1.0.2");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(JSON.stringify(await locked.json())).toContain("Too many failed sign-ins");

    // One address trying many accounts is stopped too (limit 6 per address in this test).
    for (let i = 0; i < 6; i++) await browser.signIn(`nobody-${i}@voltaro.example`, "whatever-password", "10.2.0.1");
    expect((await browser.signIn(AGENT.email, AGENT.password, "10.2.0.1")).status).toBe(429);
    expect((await browser.signIn(AGENT.email, AGENT.password, "10.2.0.2")).status).toBe(302);
  });
});

describe("sessions", () => {
  it("ends a user's live sessions the moment an admin disables them", async () => {
    const { users } = await getServices();
    const user = await users.create({ email: "temp@voltaro.example", name: "Temp", role: "agent", password: "temporary password 1" });
    const agent = await new Browser().init();
    expect((await agent.signIn(user.email, "temporary password 1")).status).toBe(302);
    expect((await outcome(() => agentPage.loader({ request: agent.request("/agent"), params: {}, context: {} }))).status).toBe(200);

    const admin = await new Browser().init();
    await admin.signIn(ADMIN.email, ADMIN.password);
    const disabled = await outcome(() => adminUsers.action({ request: admin.request("/admin/users", { form: { intent: "disable", userId: String(user.id) } }), params: {}, context: {} }));
    expect(disabled.status).toBe(200);
    expect((await outcome(() => agentPage.loader({ request: agent.request("/agent"), params: {}, context: {} }))).status).toBe(302);
    expect((await agent.signIn(user.email, "temporary password 1")).status).toBe(400);
  });

  it("signs out with a POST that carries the token", async () => {
    const agent = await new Browser().init();
    await agent.signIn(AGENT.email, AGENT.password, "10.3.0.1");
    agent.take(await logout.action({ request: agent.request("/logout", { form: {} }), params: {}, context: {} }) as Response);
    expect((await outcome(() => agentPage.loader({ request: agent.request("/agent"), params: {}, context: {} }))).status).toBe(302);
  });
});

describe("API keys and audiences", () => {
  async function createKey(scope: "public" | "internal"): Promise<string> {
    const admin = await new Browser().init();
    await admin.signIn(ADMIN.email, ADMIN.password, "10.4.0.1");
    const response = await adminKeys.action({ request: admin.request("/admin/keys", { form: { intent: "create", name: `${scope} integration`, scope } }), params: {}, context: {} }) as Response;
    const body = (await response.json()) as { created: { key: string } };
    return body.created.key;
  }
  const search = async (query: string, headers: Record<string, string> = {}) => {
    const response = await apiSearch.loader({ request: new Request(`${BASE}/api/search?${query}`, { headers }), params: {}, context: {} });
    return { status: response.status, body: (await response.json()) as any };
  };
  const INTERNAL_QUERY = "q=escalation+process+for+lost+parcels&limit=50";

  it("stores only a hash of each key and shows the secret once", async () => {
    const key = await createKey("public");
    const { db, apiKeys } = await getServices();
    expect(db.prepare("SELECT count(*) FROM api_keys WHERE key_hash = ?").pluck().get(key)).toBe(0);
    expect(JSON.stringify(apiKeys.list())).not.toContain(key);
    expect(apiKeys.list()[0]).toMatchObject({ scope: "public", prefix: key.slice(0, 10), createdBy: ADMIN.email });
  });

  it("anonymous surface=agent is a 401; a public key gets 403; an internal key gets internal articles", async () => {
    expect((await search(`${INTERNAL_QUERY}&surface=agent`)).status).toBe(401);
    const publicKey = await createKey("public");
    expect((await search(`${INTERNAL_QUERY}&surface=agent`, { Authorization: `Bearer ${publicKey}` })).status).toBe(403);
    const internalKey = await createKey("internal");
    const agent = await search(`${INTERNAL_QUERY}&surface=agent`, { Authorization: `Bearer ${internalKey}` });
    expect(agent.status).toBe(200);
    expect(agent.body.results.some((r: { audience: string }) => r.audience === "internal")).toBe(true);
    // The help surface never returns one, whoever asks.
    for (const headers of [{}, { Authorization: `Bearer ${internalKey}` }] as Record<string, string>[]) {
      const help = await search(`${INTERNAL_QUERY}&surface=help`, headers);
      expect(help.status).toBe(200);
      expect(help.body.results.length).toBeGreaterThan(0);
      expect(help.body.results.every((r: { audience: string }) => r.audience === "public")).toBe(true);
    }
  });

  it("a signed-in agent gets internal articles on the agent surface and can open them", async () => {
    const agent = await new Browser().init();
    await agent.signIn(AGENT.email, AGENT.password, "10.5.0.1");
    const response = await search(`${INTERNAL_QUERY}&surface=agent`, { Cookie: agent.header() });
    const internal = response.body.results.find((r: { audience: string }) => r.audience === "internal");
    expect(internal).toBeDefined();
    const opened = await outcome(() => article.loader({ request: agent.request(internal.url), params: { slug: internal.slug }, context: {} }));
    expect(opened.status ?? 200).not.toBe(404);
    expect(internal.url).toBe(`/agent/articles/${internal.slug}`);
    // Anonymous: the agent page sends to sign-in, and the help center has no such article.
    const anonymous = await outcome(() => article.loader({ request: new Request(`${BASE}${internal.url}`), params: { slug: internal.slug }, context: {} }));
    expect(anonymous.status).toBe(302);
    const onHelp = await outcome(() => helpArticle.loader({ request: new Request(`${BASE}/help/articles/${internal.slug}`), params: { slug: internal.slug }, context: {} }));
    expect(onHelp.status).toBe(404);
  });

  it("a revoked or malformed key is a 401, never a silent anonymous search", async () => {
    const key = await createKey("internal");
    const { apiKeys } = await getServices();
    apiKeys.revoke(apiKeys.list().find((k) => key.startsWith(k.prefix))!.id);
    expect((await search("q=refund", { Authorization: `Bearer ${key}` })).status).toBe(401);
    expect((await search("q=refund", { Authorization: "Basic abc" })).status).toBe(401);
  });

  it("the rerank API needs a key", async () => {
    const body = JSON.stringify({ model: "helprank", query: "where is my package", documents: ["Track your order", "Reset your password"] });
    const post = (headers: Record<string, string>) =>
      rerank.action({ request: new Request(`${BASE}/v1/rerank`, { method: "POST", body, headers: { "Content-Type": "application/json", ...headers } }), params: {}, context: {} });
    expect((await post({})).status).toBe(401);
    const key = await createKey("public");
    const ok = await post({ Authorization: `Bearer ${key}` });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { results: unknown[] }).results).toHaveLength(2);
  });
});
