import type { ClientEvent } from "~/events/event-schema";

/** Events for POST /api/events, sent in batches of at most 50 as the page goes on (or away). */
const queue: ClientEvent[] = [];
let scheduled = false;

export function newEventId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function sendEvent(event: Omit<ClientEvent, "id"> & { id?: string }): void {
  queue.push({ ...event, id: event.id ?? newEventId() } as ClientEvent);
  if (!scheduled) {
    scheduled = true;
    setTimeout(flushEvents, 0);
  }
}

/** sendBeacon survives the page being left; fetch keepalive where a beacon is refused. */
export function flushEvents(): void {
  scheduled = false;
  while (queue.length) {
    const body = JSON.stringify({ events: queue.splice(0, 50) });
    const sent = typeof navigator.sendBeacon === "function" && navigator.sendBeacon("/api/events", new Blob([body], { type: "application/json" }));
    if (!sent) void fetch("/api/events", { method: "POST", body, keepalive: true, headers: { "Content-Type": "application/json" } }).catch(() => {});
  }
}

if (typeof document !== "undefined") {
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flushEvents();
  });
}

/** A plain left click: the page may take it over (modified clicks open the link as the browser wishes). */
export function isPlainClick(event: { button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; altKey: boolean; defaultPrevented: boolean }): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey && !event.defaultPrevented;
}
