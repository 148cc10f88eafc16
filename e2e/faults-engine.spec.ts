import { expect, test } from "@playwright/test";
import { freePort, spawnApp } from "./app-process";

/**
 * Faults (issue 12): the keyword engine is down when the app starts. ENGINE=meilisearch with
 * MEILI_URL on a closed port of 127.0.0.1. The app prepares its data (import, reindex) through the
 * engine before it serves, and a server that dies during start-up stops the whole app
 * (docs/decisions/010), so it stops at once with one line naming MEILI_URL, exit code 1, no stack
 * trace, and never listens half-started. (An engine that goes down after start-up answers 503:
 * app/routes/database-busy.test.ts and the route tests.)
 */

test.describe.configure({ timeout: 60_000 });

for (const processes of ["1", "2"]) {
  test(`Meilisearch unreachable at start-up (${processes} process${processes === "1" ? "" : "es"}): one clear line naming MEILI_URL, exit code 1`, async () => {
    const closed = await freePort();
    const app = await spawnApp({ ENGINE: "meilisearch", MEILI_URL: `http://127.0.0.1:${closed}`, WEB_CONCURRENCY: processes });
    try {
      const code = await Promise.race([app.exited, new Promise<"running">((resolve) => setTimeout(() => resolve("running"), 45_000))]);
      expect(code, app.output()).toBe(1);
      const lines = app.output().split("\n").filter((line) => line.trim());
      expect(lines).toEqual([
        `HelpRank cannot start: meilisearch: not usable at MEILI_URL=http://127.0.0.1:${closed} (ENGINE=meilisearch): set up the index failed: ` +
          `Request to http://127.0.0.1:${closed}/health has failed (connect ECONNREFUSED 127.0.0.1:${closed}); start Meilisearch there or fix MEILI_URL`,
      ]);
      // Nothing was left listening on the app's port.
      await expect(fetch(`${app.url}/health`)).rejects.toThrow();
    } finally {
      await app.kill();
    }
  });
}
