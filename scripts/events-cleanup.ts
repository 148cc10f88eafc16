import { cleanUpEvents } from "~/events/jobs.server";
import { ConfigError, getEnv } from "~/config/env.server";
import { getServices } from "~/services.server";

/** `npm run events:cleanup [-- --days N]`: deletes searches and events older than the retention. */
async function main(): Promise<void> {
  const env = getEnv();
  const flag = process.argv.indexOf("--days");
  const days = flag >= 0 ? Number(process.argv[flag + 1]) : env.EVENT_RETENTION_DAYS;
  if (!Number.isInteger(days) || days < 1) throw new ConfigError("--days must be a whole number of days, 1 or more");
  const services = await getServices();
  const removed = cleanUpEvents(services, days);
  console.log(`Removed ${removed.searches} searches and ${removed.events} events older than ${days} days.`);
  await services.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
