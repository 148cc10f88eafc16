import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { importArticles, reindexAll } from "~/articles/import.server";
import { assertNoDemoPasswords, DemoPasswordError, seedDemoUsers } from "~/auth/seed-users.server";
import { seedPresets } from "~/presets/presets.server";
import { ConfigError, getEnv } from "~/config/env.server";
import { scheduleEventCleanup } from "~/events/retention.server";
import { getServices } from "~/services.server";
import { printSummary } from "./import";

const BUILD_PATH = path.resolve("build/server/index.js");

/**
 * Fills an empty store from the seed articles, repairs a keyword index that lost documents, and
 * embeds whatever text changed since the last start.
 */
async function prepareData(): Promise<void> {
  const services = await getServices();
  const { env, store, engine } = services;
  if (store.count() === 0) {
    console.log(`Store is empty: importing ${env.ARTICLES_DIR} …`);
    const summary = await importArticles({ dir: env.ARTICLES_DIR, store, engine });
    printSummary(summary, console.log);
    await services.refreshIndexes(); // getServices() built it before the import
  } else if ((await engine.count()) !== store.count()) {
    console.log(`The ${engine.name} index is out of step with the store: reindexing …`);
    console.log(`Reindexed ${await reindexAll(store, engine)} articles.`);
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

async function main(): Promise<void> {
  const env = getEnv();
  if (!fs.existsSync(BUILD_PATH)) {
    throw new Error(`No server build at ${BUILD_PATH}: run "npm run build" first (npm start does).`);
  }
  await prepareData();
  scheduleEventCleanup(await getServices());
  const build = (await import(pathToFileURL(BUILD_PATH).href)) as ServerBuild;

  const app = express();
  app.disable("x-powered-by");
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: "production",
      // The socket's address, for per-client limits (login throttling); proxies are not trusted.
      getLoadContext: (req) => ({ clientAddress: req.socket.remoteAddress ?? "unknown" }),
    }),
  );

  const server = app.listen(env.PORT, env.HOST, () => {
    console.log(`HelpRank listening on http://localhost:${env.PORT} (engine: ${env.ENGINE})`);
  });
  const shutdown = () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof DemoPasswordError ? error.message : error);
  process.exit(1);
});
