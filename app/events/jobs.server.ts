import type { Services } from "~/services.server";

export const CLEANUP_INTERVAL_MS = 6 * 3_600_000;

/** Deletes searches and events past EVENT_RETENTION_DAYS (and prefixes that never settled). */
export function cleanUpEvents(services: Services, days = services.env.EVENT_RETENTION_DAYS): { searches: number; events: number } {
  const { searches } = services.searchLog.deleteOlderThan(days);
  const events = services.events.deleteOlderThan(days);
  return { searches, events };
}

/**
 * The background work of one server process (with several, only the first runs it): the
 * retention cleanup now and every six hours, and publishing the click prior's counts now and
 * every CLICK_PRIOR_REFRESH_S, so that all processes rank alike until the next publication.
 */
export function scheduleBackgroundJobs(services: Services, log: (line: string) => void = console.log): NodeJS.Timeout[] {
  const guarded = (name: string, job: () => void) => () => {
    try {
      job();
    } catch (error) {
      console.error(`${name} failed:`, error);
    }
  };
  const cleanup = guarded("Event cleanup", () => {
    const removed = cleanUpEvents(services);
    if (removed.searches || removed.events) {
      log(`Retention (${services.env.EVENT_RETENTION_DAYS} days): removed ${removed.searches} searches and ${removed.events} events.`);
    }
  });
  let publishedUpTo: string | undefined;
  const publish = guarded("Publishing the click prior", () => {
    const now = new Date().toISOString();
    services.searchLog.publishClickPrior(publishedUpTo);
    publishedUpTo = now;
  });
  cleanup();
  const timers = [setInterval(cleanup, CLEANUP_INTERVAL_MS).unref()];
  if (services.env.CLICK_PRIOR_REFRESH_S > 0) {
    publish();
    timers.push(setInterval(publish, services.env.CLICK_PRIOR_REFRESH_S * 1000).unref());
  }
  return timers;
}
