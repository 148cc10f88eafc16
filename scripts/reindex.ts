import { reindexAll } from "~/articles/import.server";
import { ConfigError, getEnv } from "~/config/env.server";
import { createServices } from "~/services.server";
import { createProgressBar } from "./progress";

async function main(): Promise<void> {
  const services = await createServices(getEnv());
  const bar = createProgressBar(`Reindexing (${services.engine.name})`);
  bar.start(services.store.count(), 0, { file: "" });
  try {
    const count = await reindexAll(services.store, services.engine, (done) => bar.update(done));
    bar.stop();
    console.error(`Reindexed ${count} articles into ${services.engine.name}.`);
  } finally {
    services.db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
