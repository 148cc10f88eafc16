import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRerankCaller } from "~/auth/api-access.server";
import { handleRerankRequest } from "~/rerank/rerank-api.server";
import { getServices } from "~/services.server";

/** POST /v1/rerank — vLLM/Cohere-compatible rerank API backed by the app's reranking model. */
export async function action({ request }: ActionFunctionArgs) {
  const denied = await requireRerankCaller(request);
  if (denied) return denied;
  return handleRerankRequest(request, await getServices());
}

export function loader() {
  return Response.json({ error: { message: "use POST" } }, { status: 405, headers: { Allow: "POST" } });
}
