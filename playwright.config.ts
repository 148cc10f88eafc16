import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { TEST_VECTOR_CACHE } from "./app/test/vector-cache";

// E2E_PORT lets several checkouts run their journeys side by side.
const PORT = Number(process.env.E2E_PORT ?? 3210);
const BASE_URL = `http://localhost:${PORT}`;

/**
 * A database file that does not exist yet, so the server imports the seed articles into a fresh
 * store on every run. The runner picks it and hands it to its workers through the environment,
 * so the journeys can count what the server stored (e2e/db.ts).
 */
const isRunner = !process.env.HELPRANK_E2E_DATABASE;
const DATABASE_PATH = (process.env.HELPRANK_E2E_DATABASE ??= path.join(
  os.tmpdir(),
  `helprank-e2e-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.db`,
));

// Leave no database behind (the server has been stopped by the time the runner exits).
if (isRunner) {
  process.on("exit", () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(DATABASE_PATH + suffix, { force: true });
  });
}

/** Debian's chromium (apt-get install chromium); `npx playwright install` is not used. */
const CHROMIUM_PATH = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: "list",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
  // The server build is made beforehand (`npm run test:e2e` builds first); this only starts it.
  webServer: {
    command: "npx tsx scripts/start.ts",
    url: BASE_URL,
    env: {
      PORT: String(PORT),
      DATABASE_PATH,
      // The seed vectors the unit tests of this run embedded (filled here when run alone).
      VECTOR_CACHE_PATH: TEST_VECTOR_CACHE,
      ENGINE: "sqlite",
      NODE_ENV: "production",
      SESSION_SECRET: "e2e-session-secret-0123456789abcdef0123456789",
      // The journeys sign in with the demo users of seed/users.json.
      ALLOW_DEMO_USERS: "true",
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
