import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { consoleFilters, loadConsole, type ConsoleData } from "~/agent/console.server";
import { readFormWithCsrf, requireUser } from "~/auth/auth.server";
import { limitPageSearch } from "~/auth/request-limits.server";
import { searchSession } from "~/events/visitor.server";
import { isDocumentRequest } from "~/search/search-page.server";
import { deriveTicketQuery, MAX_TICKET_LENGTH } from "~/search/ticket-query";
import { getServices } from "~/services.server";
import { AgentConsole } from "~/ui/agent-console";

export const meta: MetaFunction = () => [{ title: "Agent console — HelpRank" }];

const AGENT_ACCESS = { internal: true };

/** The agent console: signed-in agents and admins, public and internal articles. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  if (params.get("q")?.trim()) await limitPageSearch(request, context, user);
  const session = await searchSession(request, { kind: "user", user });
  const { status, ...data } = await loadConsole(
    await getServices(),
    { q: params.get("q") ?? "", filters: consoleFilters(params), offset: params.get("offset") ?? undefined, exact: params.get("exact") ?? undefined },
    AGENT_ACCESS,
    // Typing sends data requests: those wait for the page to settle them (a pause, Enter, a click).
    { session, settled: isDocumentRequest(request) },
  );
  return Response.json(data, { status });
}

/**
 * Ticket mode: a whole customer message arrives in the POST body (so it is never in the URL or
 * the access log); the console searches for a query derived from it and shows that query.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const log = { session: await searchSession(request, { kind: "user", user }), settled: true };
  const form = await readFormWithCsrf(request);
  const services = await getServices();
  const filters = consoleFilters(form);
  const ticket = form.get("ticket");
  const fail = async (message: string) => {
    const { status: _status, ...data } = await loadConsole(services, { q: "", filters }, AGENT_ACCESS, log);
    return Response.json({ ...data, error: message } satisfies ConsoleData, { status: 400 });
  };
  if (typeof ticket !== "string" || !ticket.trim()) return fail("Paste the customer's message to search for it.");
  if (ticket.length > MAX_TICKET_LENGTH) return fail(`The message is ${ticket.length} characters long; paste at most ${MAX_TICKET_LENGTH}.`);
  const derived = deriveTicketQuery(ticket);
  if (!derived.query) return fail("That message holds nothing to search for (only greetings, contact details or order numbers).");
  const { status, ...data } = await loadConsole(services, { q: derived.query, filters }, AGENT_ACCESS, log);
  return Response.json({ ...data, ticket: { query: derived.query, removed: derived.removed, truncated: derived.truncated } } satisfies ConsoleData, { status });
}

export default function AgentConsoleRoute() {
  const loaded = useLoaderData<typeof loader>() as ConsoleData;
  const fromTicket = useActionData<typeof action>() as ConsoleData | undefined;
  return <AgentConsole data={fromTicket ?? loaded} />;
}
