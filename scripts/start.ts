import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import helmet from "helmet";
import { randomBytes } from "node:crypto";
import cluster from "node:cluster";
import http from "node:http";
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { pathToFileURL } from "node:url";
import { importArticles } from "~/articles/import.server";
import { scheduleKeywordIndexSync, syncKeywordIndex } from "~/search/engines/keyword-sync.server";
import { assertNoDemoPasswords, DemoPasswordError, seedDemoUsers } from "~/auth/seed-users.server";
import { seedPresets } from "~/presets/presets.server";
import { ConfigError, getEnv } from "~/config/env.server";
import { scheduleBackgroundJobs } from "~/events/jobs.server";
import { EngineUnavailableError } from "~/search/engines/engine";
import { ConnectionDealer, serveDealtConnections } from "~/http/connection-dealer.server";
import { getServices, type Services } from "~/services.server";
import { printSummary } from "./import";

const BUILD_PATH = path.resolve("build/server/index.js");

/**
 * Fills an empty store from the seed articles, repairs a keyword index that lost documents, and
 * embeds whatever text changed since the last start.
 */
async function prepareData(): Promise<void> {
  const services = await getServices();
  const { env, store, engine } = services;
  try {
    if (store.count() === 0) {
      console.log(`Store is empty: importing ${env.ARTICLES_DIR} …`);
      try {
        printSummary(await importArticles({ dir: env.ARTICLES_DIR, store, engine }), console.log);
      } finally {
        await services.refreshIndexes(); // getServices() built it before the import
      }
    } else {
      await syncKeywordIndex(services, console.log);
    }
  } catch (error) {
    // The store is the system of record: the keyword index catches up once the engine answers.
    if (!(error instanceof EngineUnavailableError)) throw error;
    console.error(`${store.count()} articles in the store; the ${engine.name} index is filled when it answers (${error.message.split("\n")[0]})`);
  }
  const seeded = await seedDemoUsers(services.users, env.USERS_FILE);
  if (seeded) console.log(`Created ${seeded} demo users from ${env.USERS_FILE} (README: Users and sign-in).`);
  assertNoDemoPasswords(services.users, env);
  const presets = seedPresets(services.presets, env.PRESETS_FILE);
  if (presets) console.log(`Created ${presets} instruction presets from ${env.PRESETS_FILE}.`);
  const index = services.semanticIndex();
  if (index) {
    console.log(`Semantic index: ${index.stats.articles} articles, ${index.stats.units} texts (${index.stats.embedded} embedded now) in ${Math.round(index.stats.ms)} ms`);
  }
}

/**
 * Headers on every response (helmet): a Content-Security-Policy whose scripts must come from
 * here or carry this response's nonce (Remix's inline scripts do), no framing, no MIME sniffing,
 * no referrer sent to other sites.
 */
function securityHeaders(): express.RequestHandler[] {
  return [
    (_req, res, next) => {
      res.locals.cspNonce = randomBytes(16).toString("base64");
      next();
    },
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          // Inline style attributes: score bars and chart sizes.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", "data:", "https:"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: "same-origin" },
      crossOriginEmbedderPolicy: false,
    }),
  ];
}

/** The HTTP server of one process: static files, then Remix. */
async function serve(): Promise<void> {
  const env = getEnv();
  const build = (await import(pathToFileURL(BUILD_PATH).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders());
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: "production",
      // The socket's address, for per-client limits (login throttling); proxies are not trusted.
      getLoadContext: (req, res) => ({ clientAddress: req.socket.remoteAddress ?? "unknown", cspNonce: res.locals.cspNonce as string }),
    }),
  );
  const server = http.createServer(app);
  if (cluster.isWorker) {
    // The primary listens and deals this process its share of the connections.
    const dealt = serveDealtConnections(server);
    const shutdown = () => void dealt.drain(5000).then(() => process.exit(0));
    process.on("SIGTERM", shutdown);
    process.on("SIGINT", shutdown);
    return;
  }
  server.listen(env.PORT, env.HOST, () => console.log(listeningLine()));
  const shutdown = () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

function listeningLine(): string {
  const env = getEnv();
  const n = workerCount();
  return `HelpRank listening on http://localhost:${env.PORT} (engine: ${env.ENGINE}, ${n} process${n === 1 ? "" : "es"})`;
}

/** WEB_CONCURRENCY processes serve requests (default: one per CPU core). */
function workerCount(): number {
  const n = Number(process.env.WEB_CONCURRENCY || os.availableParallelism());
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new ConfigError(`WEB_CONCURRENCY must be a whole number from 1 to 64, got "${process.env.WEB_CONCURRENCY}"`);
  return n;
}

/**
 * V8's own rule lets a fast-allocating server's heap grow to about four times its live objects
 * before a full collection: RSS climbs for minutes and then swings by hundreds of megabytes. A
 * smaller step (HEAP_GROWTH_PERCENT, default 30) keeps it flat for more frequent, short full
 * collections (docs/decisions/010). The flag is read at every collection, so setting it now works.
 */
function limitHeapGrowth(): void {
  const percent = getEnv().HEAP_GROWTH_PERCENT;
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * Several processes share the port and the SQLite file (WAL); each loads its own models and
 * indexes. The primary prepares the data once, then listens, deals each connection to the process
 * with the fewest open ones, and supervises. State that must
 * hold across processes (sessions, rate limits, login throttling, events) lives in the database
 * (docs/decisions/010).
 */
async function runPrimary(workers: number): Promise<void> {
  // The data is prepared once, by a short-lived process: the primary never loads the models.
  const prepared = await new Promise<number>((resolve) => cluster.fork({ HELPRANK_ROLE: "prepare" }).on("exit", (code) => resolve(code ?? 1)));
  if (prepared !== 0) process.exit(prepared);
  // Split the cores between the workers' onnxruntime sessions unless told otherwise.
  if (!process.env.ORT_THREADS) process.env.ORT_THREADS = String(Math.max(1, Math.floor(os.availableParallelism() / workers)));
  const env = getEnv();
  const dealer = new ConnectionDealer(
    { port: env.PORT, host: env.HOST },
    {
      listening: () => console.log(listeningLine()),
      error: (error) => {
        console.error(`HelpRank cannot start: port ${env.PORT} on ${env.HOST}: ${error.message}`);
        process.exit(1);
      },
    },
  );
  const started = Date.now();
  const fork = (index: number) => {
    const worker = cluster.fork({ HELPRANK_WORKER_INDEX: String(index) });
    dealer.add(worker);
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      // A worker that dies while the others start up would only die again: give up.
      if (Date.now() - started < 30_000) {
        console.error(`Worker ${index} exited during start-up (${signal ?? code}); stopping.`);
        process.exit(1);
      }
      console.error(`Worker ${index} exited (${signal ?? code}); starting a new one.`);
      fork(index);
    });
  };
  let stopping = false;
  for (let i = 0; i < workers; i++) fork(i);
  const stop = () => {
    stopping = true;
    dealer.close();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    setTimeout(() => process.exit(0), 6000).unref();
    cluster.on("exit", () => {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(0);
    });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** Retention, publishing the click prior, and catching a remote keyword index up with the store. */
function runBackgroundJobs(services: Services): void {
  scheduleBackgroundJobs(services);
  scheduleKeywordIndexSync(services);
}

async function main(): Promise<void> {
  if (!fs.existsSync(BUILD_PATH)) {
    throw new Error(`No server build at ${BUILD_PATH}: run "npm run build" first (npm start does).`);
  }
  getEnv();
  limitHeapGrowth();
  if (cluster.isWorker && process.env.HELPRANK_ROLE === "prepare") {
    await prepareData();
    await (await getServices()).close();
    process.exit(0);
  }
  if (cluster.isWorker) {
    const services = await getServices();
    // One process runs the background jobs.
    if (process.env.HELPRANK_WORKER_INDEX === "0") runBackgroundJobs(services);
    await serve();
    return;
  }
  const workers = workerCount();
  if (workers > 1) return runPrimary(workers);
  await prepareData();
  runBackgroundJobs(await getServices());
  await serve();
}

main().catch((error: unknown) => {
  // Known start-up failures are one line that says what to fix; anything else keeps its stack.
  const known = error instanceof ConfigError || error instanceof DemoPasswordError || error instanceof EngineUnavailableError;
  console.error(known ? `HelpRank cannot start: ${error.message}` : error);
  process.exit(1);
});
