import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { ConfigError } from "~/config/env.server";
import { experimentFor } from "~/events/experiments.server";
import { seededRandom } from "~/events/seeded-random";
import { search } from "~/search/pipeline.server";
import { parseSearchRequest, type Surface } from "~/search/search-request";
import { logShownSearch } from "~/search/search-page.server";
import { seedPresets } from "~/presets/presets.server";
import { getServices } from "~/services.server";
import { createProgressBar } from "./progress";

/**
 * Synthetic traffic through the real pipeline, search log and event store, spread over past days:
 * it fills the analytics dashboard (and the click prior) of a database for a demo or a screenshot.
 * Visitors scan results top-down (attention falls with rank), click the article they came for far
 * more readily than others, sometimes report "not found", and answer "Was this helpful?".
 * The queries are written for this script; none comes from an evaluation set.
 */
const USAGE = "usage: npm run simulate:traffic -- [--days 30] [--sessions 600] [--seed 1] [--experiment]";

/** What a visitor types, and the article that answers it. */
const NEEDS: { q: string; wants: string; surface?: Surface }[] = [
  { q: "where is my package", wants: "track-your-order" },
  { q: "order shipped but tracking not updated", wants: "tracking-not-updating" },
  { q: "tracking hasnt moved in days", wants: "tracking-not-updating" },
  { q: "it says delivered but nothing arrived", wants: "package-marked-delivered-not-received" },
  { q: "my delivery is late", wants: "delivery-delays" },
  { q: "how do I get my money back", wants: "request-a-refund" },
  { q: "when will my refund arrive", wants: "track-your-refund" },
  { q: "refund not received yet", wants: "refund-not-received" },
  { q: "cancel my order", wants: "cancel-an-order" },
  { q: "change the delivery address", wants: "change-shipping-address" },
  { q: "send an item back", wants: "start-a-return" },
  { q: "swap for a different size", wants: "exchange-an-item" },
  { q: "forgot my password", wants: "reset-your-password" },
  { q: "i was charged twice", wants: "charged-twice" },
  { q: "download my invoice", wants: "download-an-invoice" },
  { q: "card declined at checkout", wants: "payment-declined" },
  { q: "how much is shipping", wants: "shipping-costs" },
  { q: "talk to a person", wants: "contact-customer-service" },
  { q: "laptop will not turn on", wants: "laptop-wont-turn-on" },
  { q: "warranty claim for broken tv", wants: "file-a-warranty-claim" },
  { q: "包裹到哪了", wants: "track-your-order-zh" },
  { q: "物流一直不更新", wants: "tracking-not-updating-zh" },
  { q: "escalate to tier 2", wants: "tier2-handoff", surface: "agent" },
  { q: "who approves a refund override", wants: "refund-override-approval", surface: "agent" },
  { q: "customer says package stolen", wants: "package-marked-delivered-not-received", surface: "agent" },
];
const NONSENSE = ["zxqv blorptang", "asdf jkl", "🦄🦄🦄", "qwertyuiop"];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      days: { type: "string", default: "30" },
      sessions: { type: "string", default: "600" },
      seed: { type: "string", default: "1" },
      experiment: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return void console.log(USAGE);
  const days = Number(values.days);
  const sessions = Number(values.sessions);
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new ConfigError(`--days must be 1 to 366\n${USAGE}`);
  if (!Number.isInteger(sessions) || sessions < 1 || sessions > 100_000) throw new ConfigError(`--sessions must be 1 to 100000\n${USAGE}`);
  const random = seededRandom(Number(values.seed));
  const services = await getServices();
  // As the server does at start-up: presets exist before anything searches with them.
  seedPresets(services.presets, services.env.PRESETS_FILE);
  const known = (slug: string) => Boolean(services.store.getBySlug(slug));
  const missing = NEEDS.filter((n) => !known(n.wants)).map((n) => n.wants);
  if (missing.length) throw new ConfigError(`the store has no article ${missing.join(", ")}: import seed/articles first`);
  const needs = NEEDS;

  if (values.experiment && !services.experiments.running("help")) {
    services.experiments.create({ name: "Shipping status first vs. help default", surface: "help", presetA: "help", presetB: "shipping-status-first", splitB: 0.5, createdBy: "simulate-traffic" });
  }

  const backdate = services.db.transaction((searchId: string, at: string) => {
    services.db.prepare("UPDATE searches SET created_at = ?, settled_at = CASE WHEN settled_at IS NULL THEN NULL ELSE ? END WHERE id = ?").run(at, at, searchId);
    services.db.prepare("UPDATE events SET created_at = ? WHERE search_id = ?").run(at, searchId);
  });

  const bar = createProgressBar("simulate");
  bar.start(sessions, 0, { file: "" });
  const counts = { searches: 0, clicks: 0, notFound: 0, helpful: 0 };
  const now = Date.now();
  for (let s = 0; s < sessions; s++) {
    // Weekdays are busier; a session lands on a random time of its day.
    let dayIndex: number;
    do dayIndex = Math.floor(random() * days);
    while ([0, 6].includes(new Date(now - dayIndex * 86_400_000).getUTCDay()) && random() < 0.4);
    const start = now - dayIndex * 86_400_000 - Math.floor(random() * 12 * 3_600_000);
    const agent = random() < 0.2;
    const surface: Surface = agent ? "agent" : "help";
    const sessionKey = agent ? `user:sim-${s % 12}` : `visitor:${randomUUID()}`;
    const pool = needs.filter((n) => (n.surface ?? "help") === "help" || agent);
    const searchesInSession = 1 + Math.floor(random() * 3);
    for (let k = 0; k < searchesInSession; k++) {
      const nonsense = random() < 0.04;
      const need = pool[Math.floor(random() * pool.length)]!;
      const q = nonsense ? NONSENSE[Math.floor(random() * NONSENSE.length)]! : need.q;
      const given = new URLSearchParams({ q, surface, limit: "10" });
      const arm = experimentFor(services.experiments, parseSearchRequest(given), sessionKey);
      const response = await search(services.searchDeps(), arm.request, "full", { internal: agent });
      const searchId = await logShownSearch(services, response, { key: sessionKey, userId: null }, true, arm);
      counts.searches++;
      // Attention falls with rank; the wanted article is far more tempting than the rest.
      const clicked = response.results.findIndex((r, p) => random() < (1 / (p + 1) ** 0.8) * (r.slug === need.wants && !nonsense ? 0.5 : 0.03));
      if (clicked >= 0) {
        const hit = response.results[clicked]!;
        services.events.store({ id: randomUUID(), kind: "click", search_id: searchId, surface, slug: hit.slug, position: clicked }, { sessionKey });
        counts.clicks++;
        if (surface === "help" && random() < 0.3) {
          const value = hit.slug === need.wants ? (random() < 0.85 ? "yes" : "no") : random() < 0.3 ? "yes" : "no";
          services.events.record({ id: randomUUID(), kind: "helpful", surface, slug: hit.slug, value, searchId, sessionId: sessionKey });
          counts.helpful++;
        }
        if (agent && hit.slug === need.wants && random() < 0.4) {
          services.events.store({ id: randomUUID(), kind: "used_in_reply", search_id: searchId, surface, slug: hit.slug, position: clicked }, { sessionKey });
        }
      } else if (random() < (response.total === 0 ? 0.6 : 0.2)) {
        services.events.store({ id: randomUUID(), kind: "not_found", search_id: searchId, surface }, { sessionKey });
        counts.notFound++;
      }
      backdate(searchId, new Date(start + k * 40_000).toISOString());
    }
    bar.increment();
  }
  bar.stop();
  console.log(
    `Simulated ${sessions} sessions over ${days} days: ${counts.searches} searches, ${counts.clicks} clicks, ${counts.notFound} "not found" reports, ${counts.helpful} helpful answers.`,
  );
  await services.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
