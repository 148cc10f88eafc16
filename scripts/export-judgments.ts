import fs from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError } from "~/config/env.server";
import { exportJudgments } from "~/events/judgments.server";
import { getServices } from "~/services.server";

const USAGE = "usage: npm run -s export:judgments -- [--since YYYY-MM-DD] [--min-impressions 5] [--out FILE]";

/** Click-derived relevance judgments as JSONL, for `npm run eval -- --qrels-jsonl FILE`. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { since: { type: "string" }, "min-impressions": { type: "string", default: "5" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) return void console.log(USAGE);
  if (values.since !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(values.since) || Number.isNaN(Date.parse(values.since)))) {
    throw new ConfigError(`--since must be a date such as 2026-11-01\n${USAGE}`);
  }
  const minImpressions = Number(values["min-impressions"]);
  if (!Number.isInteger(minImpressions) || minImpressions < 1) throw new ConfigError(`--min-impressions must be a whole number, 1 or more\n${USAGE}`);
  const services = await getServices();
  try {
    const since = values.since ? new Date(values.since).toISOString() : undefined;
    const rows = exportJudgments(services.db, { since, minImpressions });
    const text = rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length ? "\n" : "");
    if (values.out) {
      fs.writeFileSync(values.out, text);
      console.error(`Wrote ${rows.length} judgments for ${new Set(rows.map((r) => r.query)).size} queries to ${values.out}.`);
    } else {
      process.stdout.write(text);
    }
  } finally {
    await services.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
