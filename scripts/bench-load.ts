/**
 * npm run bench:load -- --queries FILE [--workers 1,2] [--levels 1,8,32] [--duration 20] [--events 2000]
 *
 * Starts the production build (`scripts/start.ts`) on loopback with a fresh seeded database for
 * each process count, then drives GET /api/search with distinct queries from FILE (JSONL with a
 * "query" field; at least 500 distinct are asked for, so the query-vector cache answers little)
 * at each concurrency for `duration` seconds, closed-loop over keep-alive connections. Prints
 * throughput, p50/p95/p99 latency, errors, server RSS (all its processes), the CPU that the
 * server and this load generator used (on one machine they share the cores) and how warm the
 * caches were: each level starts a fresh server, warms it up for `warmup` seconds at the level's
 * concurrency with the file's last fifth of queries (not counted), then measures with the rest;
 * "repeated queries" is the share of its measured requests whose query it had already asked (the
 * query-vector cache, shared by the server's processes, answers those) and "queries encoded" the
 * share that the server encoded (counted in the database's query-vector table); then sends click
 * events for searches it was shown, in batches of 50 from 8 senders, and counts them in the
 * database.
 */
import Table from "cli-table3";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { ApiKeyStore } from "~/auth/api-keys.server";
import { percentile } from "~/eval/metrics";
import { TEST_VECTOR_CACHE } from "~/test/vector-cache";

const USAGE = "usage: npm run bench:load -- --queries FILE [--workers 1,2] [--levels 1,8,32] [--duration 20] [--events 2000] [--port 3400] [--warmup 5] [--no-heavy] [--soak SECONDS]";

interface Level {
  workers: number;
  concurrency: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** p95 of the requests whose query was new to the level, and of those asked before. */
  p95New: number;
  p95Repeated: number;
  errors: number;
  rssMb: number;
  repeatShare: number;
  /** Queries the server's processes encoded (the rest came from the shared query-vector cache), per request. */
  encodedShare: number;
  /** Cores' worth of CPU the server processes and this load generator used during the level. */
  serverCores: number;
  clientCores: number;
  /** Server CPU per request: the same at every level when nothing is lost to contention. */
  cpuMsPerRequest: number;
}

function numbers(list: string, name: string): number[] {
  const values = list.split(",").map(Number);
  if (!values.length || values.some((v) => !Number.isInteger(v) || v < 1)) throw new Error(`--${name} must be whole numbers, e.g. 1,8,32`);
  return values;
}

/** A process and all its descendants (the cluster primary and its workers), from /proc. */
function processTree(pid: number): number[] {
  const children = (p: number): number[] => {
    try {
      const kids = fs.readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
      return kids.flatMap((k) => [k, ...children(k)]);
    } catch {
      return [];
    }
  };
  return [pid, ...children(pid)];
}

/** CPU seconds (user + system, all threads) used so far by a process tree; Linux counts in 1/100 s. */
function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ").at(-1)!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100;
}

function treeRssMb(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return Math.round(kb / 1024);
}

function request(agent: http.Agent, port: number, method: string, pathname: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: pathname, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** `concurrency` clients, each calling `step` again as soon as it returns, until `deadline` (performance.now()). */
function closedLoop(concurrency: number, deadline: number, step: () => Promise<void>): Promise<void> {
  return Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await step();
    }),
  ).then(() => undefined);
}

/** What the server printed (start-up, errors), for a failed run's report. */
let serverLog = "";

/** "a → b ms (b/a×)", or a note when a level had no such requests (a short run asks no query twice). */
function p95Change(one: number, eight: number): string {
  return one > 0 && eight > 0 ? `${one.toFixed(1)} → ${eight.toFixed(1)} ms (${(eight / one).toFixed(2)}×)` : "none at one level";
}

/** `work` on a connection of this process's own to the server's database file, closed after. */
function withDatabase<T>(databasePath: string, work: (db: Database.Database) => T, options: Database.Options = {}): T {
  const db = new Database(databasePath, options);
  try {
    db.pragma("busy_timeout = 5000");
    return work(db);
  } finally {
    db.close();
  }
}

function queryVectorCount(databasePath: string): number {
  return withDatabase(databasePath, (db) => db.prepare("SELECT count(*) FROM query_vectors").pluck().get() as number, { readonly: true });
}

/** The query vectors a level left in the database (none before the first): the next level starts cold. */
function forgetQueryVectors(databasePath: string): void {
  if (fs.existsSync(databasePath)) withDatabase(databasePath, (db) => db.exec("DELETE FROM query_vectors"));
}

async function startServer(workers: number, port: number, databasePath: string): Promise<ChildProcess> {
  const child = spawn("npx", ["tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      WEB_CONCURRENCY: String(workers),
      DATABASE_PATH: databasePath,
      VECTOR_CACHE_PATH: process.env.VECTOR_CACHE_PATH ?? TEST_VECTOR_CACHE,
      NODE_ENV: "production",
      SESSION_SECRET: "bench-session-secret-0123456789abcdef0123456789",
      ALLOW_DEMO_USERS: "true",
      // One client drives the whole load: the per-client limits would answer most of it 429.
      RATE_LIMIT_SEARCH_PER_MIN: process.env.RATE_LIMIT_SEARCH_PER_MIN ?? "0",
      RATE_LIMIT_EVENTS_PER_MIN: process.env.RATE_LIMIT_EVENTS_PER_MIN ?? "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  const keep = (d: Buffer) => {
    log += d.toString();
    serverLog = log.slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  // Every process must be listening before the load starts: kept-alive connections made while
  // only the first one listens all stay with it, and the level measures one process, not `workers`.
  const agent = new http.Agent({ keepAlive: false });
  const readyProcesses = new Set<number>();
  for (let i = 0; i < 240; i++) {
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode !== null) throw new Error(`the server exited during start-up:\n${log}`);
    const ready = await request(agent, port, "GET", "/ready", {}).catch(() => undefined);
    if (ready?.status === 200) readyProcesses.add((JSON.parse(ready.body) as { pid: number }).pid);
    if (readyProcesses.size >= workers) {
      // The probes' connections are closed, but the primary learns it from each process a moment
      // later; until then a process still counts one, and the load's connections opened at once
      // split 3/5 instead of 4/4 (the connection dealer gives each to the process with the fewest).
      await new Promise((r) => setTimeout(r, 1000));
      return child;
    }
  }
  throw new Error(`the server was not ready after 120 s:\n${log}`);
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on("exit", () => resolve());
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      resolve();
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 8000).unref();
  });
}

interface HeavyResult {
  aloneP95: number;
  duringP95: number;
  heavyDone: number;
  heavy429: number;
  heavyMs: number;
  rssBefore: number;
  rssAfter: number;
}

/**
 * Issue 12's "one caller must not stall everyone": searches one at a time, first alone, then while
 * an API key sends the largest rerank requests this app takes (100 documents × 8,000 characters),
 * back to back.
 */
async function heavyRerankPhase(port: number, databasePath: string, queries: string[], pid: number): Promise<HeavyResult> {
  const { key } = withDatabase(databasePath, (db) => new ApiKeyStore(db).create({ name: "bench heavy rerank", scope: "public" }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const searchTimes = async (ms: number, offset: number) => {
    const times: number[] = [];
    const deadline = performance.now() + ms;
    for (let i = 0; performance.now() < deadline; i++) {
      const t = performance.now();
      await request(agent, port, "GET", `/api/search?q=${encodeURIComponent(queries[(offset + i) % queries.length]!)}`, {});
      times.push(performance.now() - t);
    }
    return times;
  };
  const rssBefore = treeRssMb(pid);
  const alone = await searchTimes(10_000, 400);
  const body = JSON.stringify({
    query: "where is my package",
    documents: Array.from({ length: 100 }, (_, i) => `Document ${i}: ${"Orders ship in two days; tracking updates when the carrier scans the parcel. ".repeat(110)}`.slice(0, 8_000)),
  });
  let stop = false;
  let heavyDone = 0;
  let heavy429 = 0;
  const heavyTimes: number[] = [];
  const heavyAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const heavyLoop = (async () => {
    while (!stop) {
      const t = performance.now();
      const res = await request(heavyAgent, port, "POST", "/v1/rerank", { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) }, body);
      if (res.status === 429) heavy429++;
      else if (res.status === 200) {
        heavyDone++;
        heavyTimes.push(performance.now() - t);
      } else throw new Error(`rerank answered ${res.status}: ${res.body.slice(0, 200)}`);
    }
  })();
  await new Promise((r) => setTimeout(r, 300));
  const during = await searchTimes(10_000, 900);
  stop = true;
  await heavyLoop;
  agent.destroy();
  heavyAgent.destroy();
  return {
    aloneP95: percentile(alone, 95),
    duringP95: percentile(during, 95),
    heavyDone,
    heavy429,
    heavyMs: heavyTimes.reduce((a, b) => a + b, 0) / Math.max(1, heavyTimes.length),
    rssBefore,
    rssAfter: treeRssMb(pid),
  };
}

/**
 * `--soak SECONDS`: one server under steady load (the last of --workers and --levels) for that
 * long; RSS sampled every 5 s. Passes when RSS grows by less than 5% after the first minute.
 */
async function soak(workers: number, concurrency: number, seconds: number, port: number, queries: string[]): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-soak-"));
  const server = await startServer(workers, port, path.join(dir, "soak.db"));
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const samples: { at: number; rss: number }[] = [];
    const started = performance.now();
    const sampler = setInterval(() => samples.push({ at: (performance.now() - started) / 1000, rss: treeRssMb(server.pid!) }), 5000);
    let requests = 0;
    let errors = 0;
    let cursor = 0;
    const deadline = started + seconds * 1000;
    await closedLoop(concurrency, deadline, async () => {
      const q = queries[cursor++ % queries.length]!;
      const res = await request(agent, port, "GET", `/api/search?q=${encodeURIComponent(q)}&limit=10`, {}).catch(() => undefined);
      requests++;
      if (res?.status !== 200) errors++;
    });
    clearInterval(sampler);
    agent.destroy();
    const atMinute = samples.find((s) => s.at >= 60) ?? samples[0]!;
    const last = samples.at(-1)!;
    const growth = (last.rss - atMinute.rss) / atMinute.rss;
    console.log(`soak: ${workers} process(es), concurrency ${concurrency}, ${seconds} s, ${requests} requests (${Math.round(requests / seconds)} req/s), ${errors} errors`);
    console.log(`RSS MB every 30 s: ${samples.filter((_, i) => i % 6 === 5).map((s) => s.rss).join(", ")}`);
    console.log(`RSS after the first minute ${atMinute.rss} MB, at the end ${last.rss} MB: ${(growth * 100).toFixed(1)}% (target < 5%)`);
    return growth < 0.05 && errors === 0 ? 0 : 1;
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      queries: { type: "string" },
      workers: { type: "string", default: "1,2" },
      levels: { type: "string", default: "1,8,32" },
      duration: { type: "string", default: "20" },
      warmup: { type: "string", default: "5" },
      events: { type: "string", default: "2000" },
      port: { type: "string", default: "3400" },
      heavy: { type: "boolean", default: true },
      "no-heavy": { type: "boolean", default: false },
      soak: { type: "string", default: "0" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.queries) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const queries = [
    ...new Set(
      fs
        .readFileSync(values.queries, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => String((JSON.parse(l) as { query: string }).query).slice(0, 500)),
    ),
  ];
  const warmupSeconds = Number(values.warmup);
  if (!Number.isFinite(warmupSeconds) || warmupSeconds < 0) throw new Error("--warmup must be a number of seconds, 0 or more");
  // The warm-up asks the last fifth of the queries, the measurement the rest: the queries measured
  // are still new to the query-vector cache when the measurement starts.
  const warmupQueries = warmupSeconds > 0 ? queries.splice(Math.floor(queries.length * 0.8)) : [];
  if (queries.length < 500) console.warn(`warning: only ${queries.length} distinct queries measured; caches will answer more of the run`);
  const workersList = numbers(values.workers!, "workers");
  const levels = numbers(values.levels!, "levels");
  const duration = Number(values.duration) * 1000;
  const eventCount = Number(values.events);
  const port = Number(values.port);
  if (!fs.existsSync("build/server/index.js")) throw new Error('no production build: run "npm run build" first');

  const soakSeconds = Number(values.soak);
  if (soakSeconds > 0) return soak(workersList.at(-1)!, levels.at(-1)!, soakSeconds, port, queries);

  const rows: Level[] = [];
  const eventRows: { workers: number; sent: number; stored: number; ms: number }[] = [];
  const heavyRows: ({ workers: number } & HeavyResult)[] = [];
  for (const workers of workersList) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-load-"));
    const databasePath = path.join(dir, "load.db");
    const agentFor = (c: number) => new http.Agent({ keepAlive: true, maxSockets: c });
    let server: ChildProcess | undefined;
    try {
      for (const [levelIndex, concurrency] of levels.entries()) {
        // A fresh server per level: every level starts with cold caches (the same database file,
        // without the query vectors the last level stored).
        forgetQueryVectors(databasePath);
        server = await startServer(workers, port, databasePath);
        // One visitor per level: its searches are the ones its events may name. Its connection is
        // one of the level's own (kept alive), so the dealer counts it with the others.
        const agent = agentFor(concurrency);
        const first = await request(agent, port, "GET", `/api/search?q=${encodeURIComponent("where is my package")}`, {});
        const cookie = String(first.headers["set-cookie"]?.[0] ?? "").split(";")[0]!;
        const shown: { id: string; slug: string }[] = [];
        const asked = new Set<string>();
        let cursor = 0;
        // Warm-up at the level's concurrency on the same connections, not counted: compiled code,
        // the heap's size and SQLite's page cache settle in the first seconds of a fresh process,
        // and at concurrency 8 each pause then holds up several searches at once.
        let warmupCursor = 0;
        await closedLoop(concurrency, performance.now() + warmupSeconds * 1000, async () => {
          const q = warmupQueries[warmupCursor++ % warmupQueries.length]!;
          await request(agent, port, "GET", `/api/search?q=${encodeURIComponent(q)}&limit=10`, { Cookie: cookie }).catch(() => undefined);
        });
        const latencies: number[] = [];
        // Split by whether the level had asked the query before: a new one is encoded, a repeat is not.
        const newLatencies: number[] = [];
        const repeatedLatencies: number[] = [];
        let errors = 0;
        let repeats = 0;
        let rssMax = 0;
        const pid = server.pid!;
        const sampler = setInterval(() => (rssMax = Math.max(rssMax, treeRssMb(pid))), 1000);
        const encodedBefore = queryVectorCount(databasePath);
        const started = performance.now();
        const serverCpuBefore = treeCpuSeconds(pid);
        const clientCpuBefore = process.cpuUsage();
        await closedLoop(concurrency, started + duration, async () => {
          const q = queries[cursor++ % queries.length]!;
          const repeated = asked.has(q);
          if (repeated) repeats++;
          asked.add(q);
          const t = performance.now();
          try {
            const res = await request(agent, port, "GET", `/api/search?q=${encodeURIComponent(q)}&limit=10`, { Cookie: cookie });
            const ms = performance.now() - t;
            latencies.push(ms);
            (repeated ? repeatedLatencies : newLatencies).push(ms);
            if (res.status !== 200) errors++;
            else if (shown.length < eventCount) {
              const body = JSON.parse(res.body) as { search_id: string; results: { slug: string }[] };
              if (body.results[0]) shown.push({ id: body.search_id, slug: body.results[0].slug });
            }
          } catch {
            errors++;
          }
        });
        const seconds = (performance.now() - started) / 1000;
        const serverCpu = treeCpuSeconds(pid) - serverCpuBefore;
        const clientCpu = process.cpuUsage(clientCpuBefore);
        const encoded = queryVectorCount(databasePath) - encodedBefore;
        clearInterval(sampler);
        agent.destroy();
        rows.push({
          workers,
          concurrency,
          requests: latencies.length,
          rps: Math.round(latencies.length / seconds),
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p95New: percentile(newLatencies, 95),
          p95Repeated: percentile(repeatedLatencies, 95),
          p99: percentile(latencies, 99),
          errors,
          rssMb: Math.max(rssMax, treeRssMb(pid)),
          repeatShare: latencies.length ? repeats / latencies.length : 0,
          encodedShare: latencies.length ? encoded / latencies.length : 0,
          serverCores: serverCpu / seconds,
          clientCores: (clientCpu.user + clientCpu.system) / 1e6 / seconds,
          cpuMsPerRequest: latencies.length ? (serverCpu * 1000) / latencies.length : 0,
        });

        if (levelIndex === levels.length - 1) {
          // Click events for searches it was shown: batches of 50 from 8 senders, then counted in the file.
          const events = shown.slice(0, eventCount).map((e) => ({ id: randomUUID(), kind: "click", search_id: e.id, surface: "help", slug: e.slug, position: 0 }));
          const batches = Array.from({ length: Math.ceil(events.length / 50) }, (_, i) => events.slice(i * 50, i * 50 + 50));
          const sender = agentFor(8);
          let next = 0;
          const t = performance.now();
          await Promise.all(
            Array.from({ length: 8 }, async () => {
              while (next < batches.length) {
                const body = JSON.stringify({ events: batches[next++] });
                const res = await request(sender, port, "POST", "/api/events", { Cookie: cookie, "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) }, body);
                if (res.status !== 200) console.warn(`events batch answered ${res.status}: ${res.body.slice(0, 200)}`);
              }
            }),
          );
          const ms = performance.now() - t;
          sender.destroy();
          const ids = new Set<string>(events.map((e) => e.id));
          const clicks = withDatabase(databasePath, (db) => db.prepare("SELECT id FROM events WHERE kind = 'click'").pluck().all() as string[], { readonly: true });
          const stored = clicks.filter((id) => ids.has(id)).length;
          eventRows.push({ workers, sent: events.length, stored, ms });
          if (!values["no-heavy"]) heavyRows.push({ workers, ...(await heavyRerankPhase(port, databasePath, queries, server.pid!)) });
        }
        await stopServer(server);
        server = undefined;
      }
    } finally {
      if (server) await stopServer(server);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  console.log(`machine: ${os.availableParallelism()} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${queries.length} distinct queries measured from ${values.queries}; ${values.duration} s per level after a ${warmupSeconds} s warm-up at the same concurrency${warmupSeconds > 0 ? ` with the file's other ${warmupQueries.length} queries` : ""}; ORT threads per process: ${process.env.ORT_THREADS ?? "cores ÷ processes"}; rate limits: search ${process.env.RATE_LIMIT_SEARCH_PER_MIN ?? "0"}/min, events ${process.env.RATE_LIMIT_EVENTS_PER_MIN ?? "0"}/min (0 = off)`);
  const table = new Table({ head: ["processes", "concurrency", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "requests", "repeated queries", "queries encoded", "RSS MB", "server CPU cores", "load generator CPU cores", "server CPU ms / request"], style: { head: [], border: [] } });
  for (const r of rows) {
    table.push([r.workers, r.concurrency, r.rps, r.p50.toFixed(1), r.p95.toFixed(1), r.p99.toFixed(1), r.errors, r.requests, `${Math.round(r.repeatShare * 100)}%`, `${Math.round(r.encodedShare * 100)}%`, r.rssMb, r.serverCores.toFixed(2), r.clientCores.toFixed(2), r.cpuMsPerRequest.toFixed(1)]);
  }
  console.log(table.toString());
  for (const w of new Set(rows.map((r) => r.workers))) {
    const one = rows.find((r) => r.workers === w && r.concurrency === 1);
    const eight = rows.find((r) => r.workers === w && r.concurrency === 8);
    if (one && eight) {
      console.log(
        `${w} process(es): c=8 throughput ${(eight.rps / one.rps).toFixed(2)}× c=1 (target ≥ 1.7×), c=8 p95 ${(eight.p95 / one.p95).toFixed(2)}× c=1 (target ≤ 4.5×); ` +
          `server CPU per request ${(eight.cpuMsPerRequest / one.cpuMsPerRequest).toFixed(2)}× c=1's, cores used ${(one.serverCores + one.clientCores).toFixed(2)} at c=1 and ${(eight.serverCores + eight.clientCores).toFixed(2)} at c=8; ` +
          `p95 of queries new to the level ${p95Change(one.p95New, eight.p95New)}, of repeated ones ${p95Change(one.p95Repeated, eight.p95Repeated)}`,
      );
    }
  }
  for (const e of eventRows) console.log(`${e.workers} process(es): ${e.sent} click events sent in batches of 50 from 8 senders in ${Math.round(e.ms)} ms; ${e.stored} stored${e.stored === e.sent ? "" : " — EVENTS LOST"}`);
  for (const h of heavyRows) {
    console.log(
      `${h.workers} process(es): searches one at a time for 10 s: p95 ${h.aloneP95.toFixed(1)} ms alone, ${h.duringP95.toFixed(1)} ms while ${h.heavyDone} rerank requests of 100 × 8,000 characters ran back to back (${(h.duringP95 / h.aloneP95).toFixed(2)}×, target < 2×; each took ${Math.round(h.heavyMs)} ms; ${h.heavy429} refused 429); RSS ${h.rssBefore} → ${h.rssAfter} MB`,
    );
  }
  const ok = eventRows.every((e) => e.stored === e.sent) && rows.every((r) => r.errors === 0);
  if (!ok) console.log(`server log (last lines):\n${serverLog.split("\n").slice(-30).join("\n")}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
