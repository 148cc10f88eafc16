import type { Services } from "~/services.server";

export const CLEANUP_INTERVAL_MS = 6 * 3_600_000;

/** Deletes searches and events past EVENT_RETENTION_DAYS (and prefixes that never settled). */
export function cleanUpEvents(services: Services, days = services.env.EVENT_RETENTION_DAYS): { searches: number; events: number } {
  const { searches } = services.searchLog.deleteOlderThan(days);
  const events = services.events.deleteOlderThan(days);
  return { searches, events };
}

/** Runs the cleanup now and then every six hours for as long as the server runs. */
export function scheduleEventCleanup(services: Services, log: (line: string) => void = console.log): NodeJS.Timeout {
  const run = () => {
    try {
      const removed = cleanUpEvents(services);
      if (removed.searches || removed.events) {
        log(`Retention (${services.env.EVENT_RETENTION_DAYS} days): removed ${removed.searches} searches and ${removed.events} events.`);
      }
    } catch (error) {
      console.error("Event cleanup failed:", error);
    }
  };
  run();
  return setInterval(run, CLEANUP_INTERVAL_MS).unref();
}
