/**
 * `instanceof` for the app's typed errors, by name. The production server runs two copies of the
 * app's modules: scripts/start.ts (from source, through tsx) creates the services, and the Remix
 * build (its own bundled copy) runs the routes; an error a service throws is an instance of the
 * other copy's class, so a plain `instanceof` in a route misses it (a 503 or a 400 became a 500).
 * Each class sets its name as a literal (`override name = "…"`), which both copies share.
 */
export function isErrorNamed(value: unknown, name: string): boolean {
  return value instanceof Error && value.name === name;
}
