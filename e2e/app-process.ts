import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { TEST_VECTOR_CACHE } from "../app/test/vector-cache";

/**
 * The production server as users start it (`npm run serve`: tsx scripts/start.ts on the build that
 * `npm run test:e2e` makes), in a process of a fault test's own, with its own settings, port and
 * fresh database on 127.0.0.1 — beside the shared server of playwright.config.ts, whose settings
 * a fault test cannot change.
 */

/** A port nothing listens on (the OS picks it, then it is let go). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

export interface AppProcess {
  url: string;
  port: number;
  /** Its SQLite file (fresh: the server imports seed/articles when it starts). */
  databasePath: string;
  /** A folder of this process's own for the test's files, deleted by stop(). */
  dir: string;
  /** stdout and stderr so far, less npm's own warnings. */
  output(): string;
  /** The exit code once the process has ended (null when ended by a signal). */
  exited: Promise<number | null>;
  /** Stops the server (SIGTERM to its process group, SIGKILL after 8 s) and deletes its files. */
  stop(): Promise<void>;
}

/** The same environment as the shared e2e server, one process unless told otherwise. */
const BASE_ENV: Record<string, string> = {
  HOST: "127.0.0.1",
  VECTOR_CACHE_PATH: TEST_VECTOR_CACHE,
  ENGINE: "sqlite",
  NODE_ENV: "production",
  SESSION_SECRET: "e2e-session-secret-0123456789abcdef0123456789",
  ALLOW_DEMO_USERS: "true",
  WEB_CONCURRENCY: "1",
};

/** Starts `npx tsx <script> ...args` in its own process group with the test environment on top. */
export function spawnScript(script: string, args: string[], env: Record<string, string>) {
  const child = spawn("npx", ["tsx", script, ...args], {
    env: { ...process.env, ...BASE_ENV, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output.split("\n").filter((line) => !line.startsWith("npm warn")).join("\n"),
    exited,
    /** SIGTERM to the whole group (npx, tsx, node and any forked workers), SIGKILL if it lingers. */
    async kill(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const group = -child.pid!;
      try {
        process.kill(group, "SIGTERM");
      } catch {
        return; // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(group, "SIGKILL");
        } catch {
          // gone
        }
      }, 8_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Spawns the server; does not wait for it (see startApp). */
export async function spawnApp(env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-fault-"));
  const port = await freePort();
  const databasePath = path.join(dir, "app.db");
  const script = spawnScript("scripts/start.ts", [], { PORT: String(port), DATABASE_PATH: databasePath, ...env });
  return { ...script, dir, port, databasePath, url: `http://127.0.0.1:${port}` };
}

/** Starts the server and waits until /health answers (the seed import is done by then). */
export async function startApp(env: Record<string, string> = {}, timeoutMs = 90_000): Promise<AppProcess> {
  const app = await spawnApp(env);
  const stop = async () => {
    await app.kill();
    fs.rmSync(app.dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void app.exited.then(() => (ended = true));
  for (;;) {
    if (ended) {
      await stop();
      throw new Error(`the server exited during start-up:\n${app.output()}`);
    }
    try {
      if ((await fetch(`${app.url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /health within ${timeoutMs} ms:\n${app.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url: app.url, port: app.port, databasePath: app.databasePath, dir: app.dir, output: app.output, exited: app.exited, stop };
}
