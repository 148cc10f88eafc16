import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * For route tests: the app's services, read from the environment, point at a fresh database file
 * of this test file's own (with `env` on top); `setUp` imports the seed articles, presets and demo
 * users, `tearDown` closes and deletes it. Call at the top of the file, before the first
 * getServices() (the routes are imported dynamically after it).
 */
export function seededApp(name: string, env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `helprank-${name}-`));
  Object.assign(process.env, { DATABASE_PATH: path.join(dir, `${name}.db`), ENGINE: "sqlite", ...env });
  return {
    async setUp(): Promise<void> {
      const { getServices } = await import("~/services.server");
      const { importArticles } = await import("~/articles/import.server");
      const { seedPresets } = await import("~/presets/presets.server");
      const { seedDemoUsers } = await import("~/auth/seed-users.server");
      const services = await getServices();
      const summary = await importArticles({ dir: "seed/articles", store: services.store, engine: services.engine });
      if (summary.failed) throw new Error(`${summary.failed} seed articles failed to import`);
      if (summary.warnings.length) throw new Error(`seed import warnings: ${summary.warnings.join("; ")}`);
      seedPresets(services.presets, "seed/presets.json");
      await seedDemoUsers(services.users, "seed/users.json");
      await services.refreshIndexes();
    },
    async tearDown(): Promise<void> {
      const { getServices } = await import("~/services.server");
      await (await getServices()).close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
