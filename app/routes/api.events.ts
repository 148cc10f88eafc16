import type { ActionFunctionArgs } from "@remix-run/node";
import { AuthError, authErrorResponse, getViewer } from "~/auth/auth.server";
import { enforceRequestLimit, requesterKey } from "~/auth/request-limits.server";
import { clientEventSchema, eventBatchSchema, issueMessages } from "~/events/event-schema";
import { searchSession } from "~/events/visitor.server";
import { BodyTooLargeError, readBodyText } from "~/http/body.server";
import { databaseBusyResponse } from "~/http/unavailable.server";
import { isDatabaseBusy } from "~/db/db.server";
import { getServices } from "~/services.server";

/** 50 events of a few hundred bytes each, with room to spare. */
const MAX_BODY_BYTES = 64 * 1024;

const json = (body: unknown, status: number) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
const fail = (status: number, message: string) => json({ error: { message } }, status);

export const loader = () => fail(405, "use POST with a JSON body {\"events\": [...]}");

/**
 * POST /api/events — a batch of up to 50 events (`navigator.sendBeacon` or fetch keepalive):
 * clicks, "used in reply", "not found" reports and settles of searches shown to this session.
 * Stored in one transaction; a retried event (same id) counts once. Partly bad batches store
 * the valid events: 200 with `failed` listing the others; 400 when none is valid.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return fail(405, "use POST");
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  // text/plain is what sendBeacon sends for a string body.
  if (type !== "application/json" && type !== "text/plain") return fail(415, "Content-Type must be application/json");
  let viewer;
  try {
    viewer = await getViewer(request);
    await enforceRequestLimit("events", requesterKey(viewer, context));
  } catch (error) {
    if (error instanceof AuthError) return authErrorResponse(error);
    if (isDatabaseBusy(error)) return databaseBusyResponse();
    throw error;
  }
  let text: string;
  try {
    text = await readBodyText(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return fail(413, error.message);
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fail(400, "body must be JSON: {\"events\": [...]}");
  }
  const batch = eventBatchSchema.safeParse(body);
  if (!batch.success) return fail(400, issueMessages(batch.error));

  const parsed = batch.data.events.map((raw, index) => {
    const event = clientEventSchema.safeParse(raw);
    return event.success ? event.data : { index, message: issueMessages(event.error) };
  });
  // Events only ever name searches of the sender's own session, so nobody gets a new visitor id here.
  const session = await searchSession(request, viewer, { create: false });
  const services = await getServices();
  let outcome;
  try {
    outcome = services.events.recordBatch(parsed, { sessionKey: session.key, userId: session.userId });
  } catch (error) {
    // Nothing of the batch was stored (one transaction); the sender retries with the same ids.
    if (isDatabaseBusy(error)) return databaseBusyResponse();
    throw error;
  }
  const accepted = outcome.stored + outcome.duplicates;
  if (accepted === 0) {
    return json({ error: { message: `no event was stored: ${outcome.failed.map((f) => `#${f.index}: ${f.message}`).join("; ")}` }, ...outcome }, 400);
  }
  return json(outcome, 200);
}
