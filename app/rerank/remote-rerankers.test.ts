import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CohereReranker } from "./cohere.server";
import { HttpReranker, RerankerHttpError } from "./http-reranker.server";
import {
  RerankerBadResponseError,
  RerankerError,
  RerankerTimeoutError,
  RerankerUnavailableError,
  type RerankDocument,
  type RerankFailureReason,
} from "./reranker";
import { TeiReranker } from "./tei.server";
import { startTestRerankServer, type Misbehavior, type TestRerankServer } from "./test-rerank-server";
import { VllmReranker } from "./vllm.server";

let server: TestRerankServer;

beforeAll(async () => {
  server = await startTestRerankServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  // Not in document order, so a client that ignores `index` gets it wrong.
  server.scoreWith((_q, doc) => (doc.includes("alpha") ? 0.2 : doc.includes("beta") ? 0.9 : doc.includes("gamma") ? 0.5 : 0.1));
});

const DOCS: RerankDocument[] = [
  { id: "a#0", text: "alpha: reset your password from the login page" },
  { id: "b#0", text: "beta: billing happens monthly" },
  { id: "c#0", text: "gamma: export your data as CSV" },
];
const EXPECTED = [0.2, 0.9, 0.5];

async function rejection(promise: Promise<unknown>): Promise<RerankerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RerankerError);
    return error as RerankerError;
  }
  throw new Error("expected the call to fail");
}

interface Flavor {
  api: "vllm" | "tei" | "cohere";
  path: string;
  make(options?: { url?: string; timeoutMs?: number; apiKey?: string }): HttpReranker;
}

const FLAVORS: Flavor[] = [
  {
    api: "vllm",
    path: "/v1/rerank",
    make: (o) => new VllmReranker({ url: o?.url ?? server.url, model: "BAAI/bge-reranker-v2-m3", timeoutMs: 2_000, ...o }),
  },
  {
    api: "tei",
    path: "/rerank",
    make: (o) => new TeiReranker({ url: o?.url ?? server.url, timeoutMs: 2_000, ...o }),
  },
  {
    api: "cohere",
    path: "/v2/rerank",
    make: (o) => new CohereReranker({ url: o?.url ?? server.url, model: "rerank-v3.5", timeoutMs: 2_000, ...o }),
  },
];

const FAILURES: { kind: Misbehavior; reason: RerankFailureReason; type: new (...args: never[]) => RerankerError; text?: RegExp }[] = [
  { kind: "error500", reason: "unavailable", type: RerankerHttpError, text: /HTTP 500.*CUDA out of memory/ },
  { kind: "error503", reason: "unavailable", type: RerankerHttpError, text: /HTTP 503.*model is loading/ },
  { kind: "reset", reason: "unavailable", type: RerankerUnavailableError, text: /unreachable/ },
  { kind: "invalid-json", reason: "bad_response", type: RerankerBadResponseError, text: /invalid JSON/ },
  { kind: "wrong-shape", reason: "bad_response", type: RerankerBadResponseError, text: /unexpected shape/ },
  { kind: "missing-result", reason: "bad_response", type: RerankerBadResponseError, text: /2 results for 3 documents/ },
  { kind: "index-out-of-range", reason: "bad_response", type: RerankerBadResponseError, text: /index 3, outside 0\.\.2/ },
  { kind: "duplicate-index", reason: "bad_response", type: RerankerBadResponseError, text: /twice/ },
  { kind: "string-scores", reason: "bad_response", type: RerankerBadResponseError, text: /unexpected shape/ },
];

describe.each(FLAVORS)("$api reranker against a real HTTP server", (flavor) => {
  it("returns the scores in the documents' order", async () => {
    const reranker = flavor.make();
    expect(await reranker.score("password", undefined, DOCS)).toEqual(EXPECTED);
    expect(server.rerankRequests()).toHaveLength(1);
    expect(server.rerankRequests()[0]!.path).toBe(flavor.path);
  });

  it("sends no request for no documents", async () => {
    expect(await flavor.make().score("password", undefined, [])).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it("sends the API key as a bearer token, and none without one", async () => {
    await flavor.make({ apiKey: "sk-test-123" }).score("q", undefined, DOCS);
    await flavor.make().score("q", undefined, DOCS);
    const [withKey, withoutKey] = server.rerankRequests();
    expect(withKey!.headers.authorization).toBe("Bearer sk-test-123");
    expect(withKey!.headers["content-type"]).toBe("application/json");
    expect(withoutKey!.headers.authorization).toBeUndefined();
  });

  it.each(FAILURES)("maps a $kind answer to reason $reason", async ({ kind, reason, type, text }) => {
    server.failNext(kind);
    const error = await rejection(flavor.make().score("password", undefined, DOCS));
    expect(error.reason).toBe(reason);
    expect(error).toBeInstanceOf(type);
    if (text) expect(error.message).toMatch(text);
    // the next request works again
    expect(await flavor.make().score("password", undefined, DOCS)).toEqual(EXPECTED);
  });

  it("keeps the status of a non-2xx answer", async () => {
    server.failNext("error503");
    const error = await rejection(flavor.make().score("q", undefined, DOCS));
    expect(error).toBeInstanceOf(RerankerHttpError);
    expect((error as RerankerHttpError).status).toBe(503);
  });

  it("maps connection refused to unavailable", async () => {
    const closed = await startTestRerankServer();
    const url = closed.url;
    await closed.close();
    const error = await rejection(flavor.make({ url }).score("q", undefined, DOCS));
    expect(error).toBeInstanceOf(RerankerUnavailableError);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("maps an unknown host to unavailable", async () => {
    const error = await rejection(flavor.make({ url: "http://no-such-host.invalid:8080", timeoutMs: 10_000 }).score("q", undefined, DOCS));
    expect(error.reason).toBe("unavailable");
  });

  it("aborts a slow request at the timeout", async () => {
    server.failNext("slow", { delayMs: 5_000 });
    const started = performance.now();
    const error = await rejection(flavor.make({ timeoutMs: 300 }).score("q", undefined, DOCS));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(RerankerTimeoutError);
    expect(error.reason).toBe("timeout");
    expect(error.message).toContain("300 ms");
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(300 + 400);
  });

  it("honours the caller's abort signal", async () => {
    server.failNext("slow", { delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await rejection(flavor.make({ timeoutMs: 3_000 }).score("q", undefined, DOCS, { signal: controller.signal }));
    expect(error.reason).toBe("aborted");
    expect(performance.now() - started).toBeLessThan(1_000);

    const already = AbortSignal.abort();
    const count = server.requests.length;
    expect((await rejection(flavor.make().score("q", undefined, DOCS, { signal: already }))).reason).toBe("aborted");
    expect(server.requests.length).toBe(count);
  });

  it("reports health without throwing", async () => {
    const reranker = flavor.make({ timeoutMs: 500 });
    expect(await reranker.health()).toEqual({ ok: true });
    const probe = server.requests.at(-1)!;
    if (flavor.api === "cohere") {
      expect(probe.method).toBe("POST");
      expect(probe.path).toBe("/v2/rerank");
    } else {
      expect(probe.method).toBe("GET");
      expect(probe.path).toBe("/health");
    }

    server.failNext("error503");
    const down = await reranker.health();
    expect(down.ok).toBe(false);
    expect(down.detail).toMatch(/503/);

    server.failNext("slow", { delayMs: 5_000 });
    const slow = await reranker.health();
    expect(slow.ok).toBe(false);
    expect(slow.detail).toMatch(/500 ms/);

    const closed = await startTestRerankServer();
    const url = closed.url;
    await closed.close();
    const refused = await flavor.make({ url }).health();
    expect(refused.ok).toBe(false);
    expect(refused.detail).toMatch(/ECONNREFUSED/);
  });
});

describe("VllmReranker request body", () => {
  it("formats query and documents for Qwen3-Reranker with the instruction", async () => {
    const reranker = new VllmReranker({ url: server.url, model: "Qwen/Qwen3-Reranker-0.6B", timeoutMs: 2_000 });
    const scores = await reranker.score("reset password", "Find the help-center passage that answers the question", [
      { id: "a#0", text: "alpha: open Settings" },
      { id: "b#0", text: "beta: billing" },
    ]);
    expect(scores).toEqual([0.2, 0.9]);
    expect(server.rerankRequests()[0]!.body).toEqual({
      model: "Qwen/Qwen3-Reranker-0.6B",
      query:
        '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n<Instruct>: Find the help-center passage that answers the question\n<Query>: reset password\n',
      documents: [
        "<Document>: alpha: open Settings<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
        "<Document>: beta: billing<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
      ],
      top_n: 2,
    });
  });

  it("uses the default instruction for Qwen3-Reranker when none is given", async () => {
    const reranker = new VllmReranker({ url: server.url, model: "Qwen/Qwen3-Reranker-4B", timeoutMs: 2_000 });
    await reranker.score("reset password", undefined, DOCS);
    const body = server.rerankRequests()[0]!.body as { query: string };
    expect(body.query).toContain(
      "<Instruct>: Given a web search query, retrieve relevant passages that answer the query\n<Query>: reset password\n",
    );
  });

  it("sends query and documents as-is for other models", async () => {
    const reranker = new VllmReranker({ url: server.url, model: "BAAI/bge-reranker-v2-m3", timeoutMs: 2_000 });
    await reranker.score("reset password", "ignored instruction", DOCS);
    expect(server.rerankRequests()[0]!.body).toEqual({
      model: "BAAI/bge-reranker-v2-m3",
      query: "reset password",
      documents: DOCS.map((d) => d.text),
      top_n: 3,
    });
  });

  it("can turn Qwen3 formatting off for servers that apply the template themselves", async () => {
    const reranker = new VllmReranker({ url: server.url, model: "Qwen/Qwen3-Reranker-0.6B", qwen3Format: false });
    await reranker.score("reset password", "instr", DOCS);
    expect((server.rerankRequests()[0]!.body as { query: string }).query).toBe("reset password");
  });
});

describe("TeiReranker request body", () => {
  it("sends {query, texts, raw_scores: false} and ignores the instruction by default", async () => {
    const reranker = new TeiReranker({ url: server.url, timeoutMs: 2_000 });
    expect(reranker.model).toBe("text-embeddings-inference");
    await reranker.score("reset password", "Find the passage", DOCS);
    expect(server.rerankRequests()[0]!.body).toEqual({
      query: "reset password",
      texts: DOCS.map((d) => d.text),
      raw_scores: false,
    });
  });

  it("prepends the instruction to the query when instructionInQuery is set", async () => {
    const reranker = new TeiReranker({ url: server.url, model: "BAAI/bge-reranker-base", instructionInQuery: true });
    await reranker.score("reset password", "Find the passage", DOCS);
    await reranker.score("reset password", undefined, DOCS);
    const [withInstruction, without] = server.rerankRequests();
    expect((withInstruction!.body as { query: string }).query).toBe("Find the passage\nreset password");
    expect((without!.body as { query: string }).query).toBe("reset password");
  });

  it("splits more documents than maxBatchSize into several requests, scores still in order", async () => {
    server.scoreWith((_q, doc) => Number(doc.split(" ")[1]) / 10);
    const docs = [3, 1, 4, 1, 5, 9, 2].map((n, i) => ({ id: String(i), text: `doc ${n}` }));
    const reranker = new TeiReranker({ url: server.url, maxBatchSize: 3 });
    expect(await reranker.score("q", undefined, docs)).toEqual([0.3, 0.1, 0.4, 0.1, 0.5, 0.9, 0.2]);
    expect(server.rerankRequests().map((r) => (r.body as { texts: string[] }).texts.length)).toEqual([3, 3, 1]);
  });

  it("fails the whole call when one batch fails", async () => {
    server.failNext("index-out-of-range");
    const docs = Array.from({ length: 5 }, (_, i) => ({ id: String(i), text: `doc ${i}` }));
    const error = await rejection(new TeiReranker({ url: server.url, maxBatchSize: 2 }).score("q", undefined, docs));
    expect(error.reason).toBe("bad_response");
  });
});

describe("CohereReranker request body", () => {
  it("sends {model, query, documents, top_n}", async () => {
    const reranker = new CohereReranker({ url: server.url, model: "rerank-v3.5", apiKey: "co-key" });
    await reranker.score("reset password", "not sent", DOCS);
    const request = server.rerankRequests()[0]!;
    expect(request.body).toEqual({
      model: "rerank-v3.5",
      query: "reset password",
      documents: DOCS.map((d) => d.text),
      top_n: 3,
    });
    expect(request.headers.authorization).toBe("Bearer co-key");
  });
});

describe("construction", () => {
  it("rejects bad URLs and timeouts, and ignores a trailing slash", async () => {
    expect(() => new VllmReranker({ url: "not a url", model: "m" })).toThrow(/invalid reranker URL/);
    expect(() => new VllmReranker({ url: "ftp://x", model: "m" })).toThrow(/http/);
    expect(() => new TeiReranker({ url: server.url, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new VllmReranker({ url: server.url, model: "" })).toThrow(/model/);
    const reranker = new VllmReranker({ url: `${server.url}/`, model: "m" });
    expect(reranker.url).toBe(server.url);
    await reranker.score("q", undefined, DOCS);
    expect(server.rerankRequests()[0]!.path).toBe("/v1/rerank");
  });
});
