/**
 * npm run bench:search — latency of the whole search and of the rerank step, for 20/50/100
 * candidates at concurrency 1 and 8; for each encoder of ENCODER_DIR, one bare query embedding
 * beside the semantic step (query embedding + scoring every stored vector) over distinct, uncached
 * queries; plus model load time, import time and peak RSS.
 * English queries are written for this benchmark; Chinese ones are our own zh eval set's.
 */
import Table from "cli-table3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { importArticles } from "~/articles/import.server";
import { getEnv } from "~/config/env.server";
import { CrossEncoderReranker } from "~/rerank/cross-encoder.server";
import { percentile } from "~/eval/metrics";
import { search } from "~/search/pipeline.server";
import { createServices } from "~/services.server";
import { loadSentenceEncoder, type SentenceEncoder } from "../model/sentence-encoder";

const QUERIES = [
  "where is my package", "order shipped but tracking not updated", "how do I get my money back",
  "change delivery address after ordering", "my card was declined at checkout", "can I pay with paypal",
  "forgot my password", "delete my account", "how long does express shipping take", "cancel my order",
  "is there a fee to cancel", "download invoice pdf", "laptop battery drains fast", "pair bluetooth headphones",
  "wheres my stuff", "pkg not here yet", "talk to a real person", "unsubscribe from emails",
  "return a damaged tv", "refund still not on my card", "set up a new phone", "warranty claim for broken screen",
  "do you ship to canada", "add a second address to my account", "charged twice for one order",
  "write a review for headphones", "complain about the delivery driver", "switch to my business account",
  "student discount", "pick up in store today",
];
const ZH_QUERIES = fs
  .readFileSync("seed/eval/zh-queries.jsonl", "utf8")
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => (JSON.parse(line) as { query: string }).query);
const CANDIDATES = [20, 50, 100];
const CONCURRENCY = [1, 8];
const ROUNDS = 4;

async function timeAll(tasks: (() => Promise<unknown>)[], concurrency: number): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) {
        const task = tasks[next++]!;
        const t = performance.now();
        await task();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}

const f = (ms: number) => ms.toFixed(1);

async function main(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-bench-"));
  const env = { ...getEnv(), DATABASE_PATH: path.join(workDir, "bench.db"), RERANKER: "embedding" as const };

  // Each encoder loaded on its own, for its load time and for bare (uncached) embeddings.
  const encoders: { encoder: SentenceEncoder; loadMs: number }[] = [];
  for (const dir of env.ENCODER_DIR.split(",").map((d) => d.trim()).filter(Boolean)) {
    const started = performance.now();
    const encoder = await loadSentenceEncoder(dir, { file: encoders.length ? undefined : env.ENCODER_FILE });
    encoders.push({ encoder, loadMs: performance.now() - started });
  }

  const services = await createServices(env);
  const importStarted = performance.now();
  const summary = await importArticles({ dir: "seed/articles", store: services.store, engine: services.engine });
  await services.refreshIndexes();
  const importMs = performance.now() - importStarted;
  const passages = (services.db.prepare("SELECT count(*) FROM passages").pluck().get() as number);

  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  console.log(`machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.platform()} ${os.arch()}, Node ${process.version}, onnxruntime-node ${onnxVersion()}, ORT threads ${process.env.ORT_THREADS ?? 2}`);
  const stages = services.semanticStages()?.stages ?? [];
  for (const { encoder, loadMs } of encoders) console.log(`model load ${encoder.id}: ${f(loadMs)} ms`);
  const embedded = stages.reduce((sum, s) => sum + s.index.stats.embedded, 0);
  console.log(`import of the seed corpus (${summary.files} articles, ${passages} passages) into a new database, including ${embedded} embeddings by ${stages.length} encoder(s): ${(importMs / 1000).toFixed(1)} s`);
  for (const s of stages) console.log(`semantic index ${s.embedder.modelId}: ${s.index.stats.units} vectors × ${s.index.dims} dims, locales ${s.index.locales.join(",")}`);

  // Warm up the encoder and caches of the engine.
  for (const q of QUERIES.slice(0, 5)) await search(services.searchDeps(), { q, surface: "help", limit: 10, offset: 0 });

  const whole = new Table({ head: ["candidates", "concurrency", "p50 ms", "p95 ms", "searches/s"], style: { head: [], border: [] } });
  for (const k of CANDIDATES) {
    for (const concurrency of CONCURRENCY) {
      const deps = { ...services.searchDeps(), recallK: k };
      // Distinct query texts per round defeat the query-vector cache: every search embeds its query.
      const tasks = Array.from({ length: ROUNDS }, (_, round) =>
        QUERIES.map((q) => () => search(deps, { q: `${q}${"?".repeat(round + 1)} ${k}-${concurrency}`, surface: "help", limit: 10, offset: 0 })),
      ).flat();
      const { latencies, wallMs } = await timeAll(tasks, concurrency);
      whole.push([k, concurrency, f(percentile(latencies, 50)), f(percentile(latencies, 95)), (tasks.length / (wallMs / 1000)).toFixed(0)]);
    }
  }
  for (const concurrency of CONCURRENCY) {
    const deps = { ...services.searchDeps(), recallK: 50 };
    const tasks = [0, 1].flatMap((round) => ZH_QUERIES.map((q) => () => search(deps, { q: `${q}${"？".repeat(round + 1)}`, surface: "help", limit: 10, offset: 0 })));
    const { latencies, wallMs } = await timeAll(tasks, concurrency);
    whole.push(["50 (Chinese)", concurrency, f(percentile(latencies, 50)), f(percentile(latencies, 95)), (tasks.length / (wallMs / 1000)).toFixed(0)]);
  }
  console.log("\nWhole search: typo correction, keyword ∪ semantic ∪ phrasing top-K, embedded rerank, fusion, page of 10 (RERANKER=embedding, the default).");
  console.log(whole.toString());

  // The semantic step beside one bare query embedding by the same model, both over distinct
  // queries (a counter makes every text new, so no cache answers), at concurrency 1.
  const ratio = new Table({
    head: ["encoder", "stored vectors", "bare query embedding p50 / p95 ms", "semantic step p50 / p95 ms", "p95 ratio"],
    style: { head: [], border: [] },
  });
  let unique = 0;
  for (const { encoder } of encoders) {
    const stage = stages.find((s) => s.embedder.modelId === encoder.id);
    if (!stage) continue;
    const locale = stage.index.locales.includes("en") ? "en" : (stage.index.locales[0] as "zh");
    const queries = (locale === "zh" ? ZH_QUERIES : QUERIES).slice(0, 30);
    const embeds = [0, 1, 2].flatMap(() => queries.map((q) => () => encoder.embed([`${q} ${unique++}`], "query")));
    const bare = await timeAll(embeds, 1);
    const steps = [0, 1, 2].flatMap(() =>
      queries.map((q) => async () => {
        const [vector] = await encoder.embed([`${q} ${unique++}`], "query");
        (await stage.index.score(vector!)).top({ audiences: ["public"], locale }, 50);
      }),
    );
    const step = await timeAll(steps, 1);
    const p95 = (l: number[]) => percentile(l, 95);
    ratio.push([
      encoder.id,
      stage.index.size,
      `${f(percentile(bare.latencies, 50))} / ${f(p95(bare.latencies))}`,
      `${f(percentile(step.latencies, 50))} / ${f(p95(step.latencies))}`,
      `${(p95(step.latencies) / p95(bare.latencies)).toFixed(2)}×`,
    ]);
  }
  console.log("\nSemantic step (embed the query, score every stored vector, top 50) vs one bare query embedding, concurrency 1.");
  console.log(ratio.toString());

  // The rerank step alone: the cross-encoder code path scores 3 passages per candidate (the
  // random-weight 2-layer fixture: mechanics only; real models are larger).
  const cross = await CrossEncoderReranker.load("model/fixtures/tiny-random-cross-encoder");
  const store = services.store;
  const allPassages = store.all().filter((a) => a.locale === "en").flatMap((a) => store.passages(a.id).map((p) => `${a.title}\n${p.heading}\n${p.text}`));
  const step = new Table({ head: ["reranker", "candidates", "texts scored", "concurrency", "p50 ms", "p95 ms", "texts/s"], style: { head: [], border: [] } });
  for (const k of CANDIDATES) {
    const docs = allPassages.slice(0, k * 3).map((text, i) => ({ id: String(i), text }));
    for (const concurrency of CONCURRENCY) {
      const tasks = QUERIES.slice(0, 16).map((q) => () => cross.score(q, undefined, docs));
      const c = await timeAll(tasks, concurrency);
      step.push(["cross-encoder (tiny fixture)", k, docs.length, concurrency, f(percentile(c.latencies, 50)), f(percentile(c.latencies, 95)), ((tasks.length * docs.length) / (c.wallMs / 1000)).toFixed(0)]);
    }
  }
  console.log("\nRerank step alone.");
  console.log(step.toString());

  // The lexical steps every search runs first: typo correction and the phrasing match.
  const { spelling, phrasing } = services.searchDeps();
  const typo = (q: string) => q.replace(/([a-z])([a-z])([a-z]*)$/, "$2$1$3"); // swap two letters of the last word
  const lexical = new Table({ head: ["step", "size", "p50 ms", "p95 ms", "queries/s"], style: { head: [], border: [] } });
  const lexicalRows: [string, number, (q: string) => unknown][] = [
    ["spelling correction (query with a typo)", spelling?.size ?? 0, (q) => spelling?.correct(typo(q))],
    ["phrasing match (all phrasings)", phrasing?.size ?? 0, (q) => phrasing?.score(q).top({ audiences: ["public"], locale: "en" }, 50)],
  ];
  for (const [name, size, run] of lexicalRows) {
    const l = await timeAll(QUERIES.map((q) => async () => run(q)), 1);
    lexical.push([name, size, f(percentile(l.latencies, 50)), f(percentile(l.latencies, 95)), (QUERIES.length / (l.wallMs / 1000)).toFixed(0)]);
  }
  console.log("\nLexical steps alone (size: vocabulary words / phrasings).");
  console.log(lexical.toString());
  console.log(`\npeak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  await services.close();
  for (const { encoder } of encoders) await encoder.release();
  fs.rmSync(workDir, { recursive: true, force: true });
}

function onnxVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync("node_modules/onnxruntime-node/package.json", "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
