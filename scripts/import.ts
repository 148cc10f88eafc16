import path from "node:path";
import { parseArgs } from "node:util";
import { importArticles, type ImportSummary } from "~/articles/import.server";
import { getEnv } from "~/config/env.server";
import { createServices } from "~/services.server";
import { createProgressBar } from "./progress";

const USAGE = "usage: npm run import -- [dir] [--prune]";

export async function runImport(dir: string, prune: boolean): Promise<ImportSummary> {
  const services = await createServices(getEnv());
  const bar = createProgressBar("Importing");
  let started = false;
  try {
    const summary = await importArticles({
      dir,
      prune,
      store: services.store,
      engine: services.engine,
      onProgress: (done, total, file) => {
        if (!started) {
          bar.start(total, 0, { file: "" });
          started = true;
        }
        bar.update(done, { file: file ? path.basename(file) : "" });
      },
    });
    if (started) bar.stop();
    started = false;
    if (services.embedder) {
      const embedBar = createProgressBar("Embedding");
      embedBar.start(1, 0, { file: "" });
      const index = await services.refreshIndexes((done, total) => {
        embedBar.setTotal(total);
        embedBar.update(done);
      });
      embedBar.stop();
      console.error(`Embedded ${index?.stats.embedded ?? 0} new texts (${index?.stats.units ?? 0} in the semantic index).`);
    }
    return summary;
  } finally {
    if (started) bar.stop();
    await services.close();
  }
}

export function printSummary(summary: ImportSummary, out = console.error): void {
  out(
    `Import: ${summary.files} files — added ${summary.added}, updated ${summary.updated}, ` +
      `unchanged ${summary.unchanged}, failed ${summary.failed}, removed ${summary.removed}`,
  );
  for (const failure of summary.failures) out(`  ✗ ${failure.file}: ${failure.reason}`);
  for (const warning of summary.warnings) out(`  ! ${warning.file}: ${warning.reason}`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { prune: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help || positionals.length > 1) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const dir = positionals[0] ?? getEnv().ARTICLES_DIR;
  const summary = await runImport(dir, values.prune ?? false);
  printSummary(summary);
  process.exitCode = summary.failed > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
