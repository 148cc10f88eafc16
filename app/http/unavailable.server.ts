/**
 * Answers for a search the app cannot serve right now (the database's write lock held past the
 * busy timeout, or the search engine down): 503 with Retry-After and one log line, never a stack
 * trace for the visitor.
 */
export function databaseBusyResponse(): Response {
  console.error("503: the database stayed locked by another connection past DATABASE_BUSY_TIMEOUT_MS");
  return Response.json(
    { error: { code: "database_busy", message: "The service is busy right now; try again in a moment." } },
    { status: 503, headers: { "Retry-After": "1", "Cache-Control": "no-store" } },
  );
}

/** The same for a page: the app's error page with a 503 and a plain message. */
export function unavailablePage(error: unknown): Response {
  console.error(`503: search unavailable: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  return new Response("Search is unavailable for a moment. Please try again shortly.", {
    status: 503,
    statusText: "Service Unavailable",
    headers: { "Retry-After": "5" },
  });
}
