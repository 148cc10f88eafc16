import { CohereClientV2 } from "cohere-ai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "~/config/env.server";
import { createServices, type Services } from "~/services.server";
import { handleRerankRequest } from "./rerank-api.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-rerank-api-"));
let services: Services;
let server: http.Server;
let url: string;

/** Serves the app's rerank handler over real HTTP, as the /v1/rerank and /v2/rerank routes do. */
beforeAll(async () => {
  services = await createServices(parseEnv({ DATABASE_PATH: path.join(dir, "api.db") }));
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(`http://localhost${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
    });
    const response = await handleRerankRequest(request, services);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await services.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const DOCUMENTS = [
  "Our return policy allows returns within 30 days of delivery.",
  "To reset your password, choose Forgot password on the sign-in page and follow the emailed link.",
  "Shipping usually takes 3 to 5 business days.",
];

describe("app POST /v1/rerank and /v2/rerank", () => {
  it("answers the official cohere-ai client with the embedded model", async () => {
    const client = new CohereClientV2({ token: "unused", environment: url });
    const response = await client.rerank({ model: "helprank", query: "I forgot my password", documents: DOCUMENTS, topN: 2 });
    expect(response.results).toHaveLength(2);
    expect(response.results[0]?.index).toBe(1);
    expect(response.results[0]!.relevanceScore).toBeGreaterThan(response.results[1]!.relevanceScore);
  });

  it("speaks the vLLM shape with {text} documents and return_documents", async () => {
    const response = await fetch(`${url}/v1/rerank`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "how long does shipping take", documents: DOCUMENTS.map((text) => ({ text })), return_documents: true }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { model: string; results: { index: number; document: { text: string } }[] };
    expect(body.model).toBe("all-MiniLM-L6-v2-int8");
    expect(body.results.map((r) => r.index)[0]).toBe(2);
    expect(body.results[0]?.document.text).toBe(DOCUMENTS[2]);
  });

  it.each([
    ["invalid JSON", "not json", /body must be JSON/],
    ["a missing query", JSON.stringify({ documents: ["a"] }), /query/],
    ["no documents", JSON.stringify({ query: "q", documents: [] }), /documents must not be empty/],
    ["too many documents", JSON.stringify({ query: "q", documents: Array(1001).fill("a") }), /at most 1000 documents/],
    ["an instruction over 500 characters", JSON.stringify({ query: "q", documents: ["a"], instruction: "x".repeat(501) }), /instruction must be at most 500 characters/],
  ])("answers 400 with a message for %s", async (_label, body, message) => {
    const response = await fetch(`${url}/v1/rerank`, { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it.each([
    ["text/plain", { "content-type": "text/plain" }, /Content-Type must be application\/json, not text\/plain/],
    ["a form", { "content-type": "application/x-www-form-urlencoded" }, /Content-Type must be application\/json/],
    ["no Content-Type", {}, /Content-Type must be application\/json/],
    ["a gzip body", { "content-type": "application/json", "content-encoding": "gzip" }, /Content-Encoding gzip is not supported/],
  ])("answers 415 for %s (no cross-site simple requests)", async (_label, headers, message) => {
    const init: RequestInit = { method: "POST", headers, body: JSON.stringify({ query: "q", documents: ["a"] }) };
    if (!("content-type" in headers)) init.body = new Blob([JSON.stringify({ query: "q", documents: ["a"] })]);
    const response = await fetch(`${url}/v1/rerank`, init);
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it.each([
    ["101 documents", { query: "q", documents: Array(101).fill("a") }, /at most 100 documents per request on this app \(the model server takes 1000\)/],
    ["a document over 8,000 characters", { query: "q", documents: ["a", "b".repeat(8_001)] }, /documents.1: at most 8000 characters per document on this app/],
  ])("keeps the app's smaller limits: %s is a 400", async (_label, body, message) => {
    const response = await fetch(`${url}/v1/rerank`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it("answers 413 past 1 MiB without reading the rest", async () => {
    const response = await fetch(`${url}/v1/rerank`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "q", documents: ["x".repeat(1_100_000)] }) });
    expect(response.status).toBe(413);
  });

  it("scores one request at a time per process: a second one meanwhile gets 429 with Retry-After", async () => {
    const heavy = JSON.stringify({ query: "where is my package", documents: Array.from({ length: 100 }, (_, i) => `Document ${i}. ${"Delivery tracking and returns. ".repeat(250)}`) });
    const post = () => fetch(`${url}/v1/rerank`, { method: "POST", headers: { "content-type": "application/json" }, body: heavy });
    const first = post();
    await new Promise((r) => setTimeout(r, 100));
    const second = await post();
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("1");
    expect(((await second.json()) as { error: { message: string } }).error.message).toMatch(/at most 1 request at once/);
    expect((await first).status).toBe(200);
    // Free again once the first is done.
    expect((await post()).status).toBe(200);
  });

  it("refuses other methods", async () => {
    expect((await fetch(`${url}/v1/rerank`)).status).toBe(405);
  });
});

/** The example body of README.md's "Rerank API" section, as a user would copy it. */
function readmeExample(): { model: string; query: string; documents: string[] } {
  const readme = fs.readFileSync(path.resolve("README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Rerank API"));
  const block = /```json\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error("README.md has no JSON example under ## Rerank API");
  return JSON.parse(block[1]!);
}

describe("rerank API models and scores", () => {
  type Body = { model: string; results: { index: number; relevance_score: number }[]; error?: { message: string; type: string } };
  const rerank = async (body: unknown) => {
    const response = await fetch(`${url}/v1/rerank`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Body };
  };

  it("ranks README's own example as README says: tracking first, finite cosine scores", async () => {
    const { status, body } = await rerank(readmeExample());
    expect(status).toBe(200);
    expect(body.model).toBe("all-MiniLM-L6-v2-int8");
    expect(body.results.map((r) => r.index)).toEqual([1, 0, 2]);
    for (const r of body.results) expect(Math.abs(r.relevance_score)).toBeLessThanOrEqual(1);
    expect(body.results[0]!.relevance_score - body.results[1]!.relevance_score).toBeGreaterThan(0.3);
  });

  it("scores a Chinese pair about the same thing above unrelated ones, with the multilingual model", async () => {
    const documents = ["如何申请退款", "查看物流信息：包裹在哪里", "修改密码"];
    for (const model of [undefined, "helprank", "multilingual-e5-small-int8-trim"]) {
      const { status, body } = await rerank({ model, query: "物流没更新", documents });
      expect(status).toBe(200);
      expect(body.model).toBe("multilingual-e5-small-int8-trim");
      expect(body.results[0]!.index).toBe(1);
      for (const r of body.results) expect(r.relevance_score).toBeLessThanOrEqual(1);
    }
    const refund = await rerank({ query: "我想退款", documents });
    expect(refund.body.results[0]!.index).toBe(0);
  });

  it("adds an instruction's topic to the embedded score, as the model server does", async () => {
    const { documents } = readmeExample();
    const plain = await rerank({ query: "my purchase", documents });
    const steered = await rerank({ query: "my purchase", documents, instruction: "Prefer articles about getting money back" });
    expect(plain.body.results[0]!.index).toBe(1);
    expect(steered.body.results[0]!.index).toBe(0);
    const score = (body: Body, index: number) => body.results.find((r) => r.index === index)!.relevance_score;
    expect(score(steered.body, 0)).toBeGreaterThan(score(plain.body, 0));
  });

  it("uses the encoder a request names", async () => {
    const { body } = await rerank({ ...readmeExample(), model: "multilingual-e5-small-int8-trim" });
    expect(body.model).toBe("multilingual-e5-small-int8-trim");
    expect(body.results[0]!.index).toBe(1);
  });

  it("refuses a model it does not serve with a 404 naming the models it serves", async () => {
    const { status, body } = await rerank({ ...readmeExample(), model: "Qwen/Qwen3-Reranker-8B" });
    expect(status).toBe(404);
    expect(body.error?.type).toBe("NotFoundError");
    expect(body.error?.message).toBe(
      "The model `Qwen/Qwen3-Reranker-8B` does not exist. This server serves: all-MiniLM-L6-v2-int8, multilingual-e5-small-int8-trim, helprank.",
    );
  });
});
