import { EngineUnavailableError } from "~/search/engines/engine";
import { getServices } from "~/services.server";

/**
 * GET /ready — readiness: the database answers, articles are loaded, the keyword engine answers
 * and the semantic index is built. The reranker's state is reported but never makes the app unready: search falls back
 * to keyword order without it.
 */
export async function loader() {
  const headers = { "Cache-Control": "no-store" };
  try {
    const services = await getServices();
    services.db.prepare("SELECT 1").get();
    const articles = services.store.count();
    const semantic = services.env.SEMANTIC ? Boolean(services.semanticIndex()) : null;
    const reranker = services.reranker
      ? { name: services.reranker.name, circuit: "state" in services.reranker ? String((services.reranker as { state: unknown }).state) : "n/a" }
      : { name: services.env.RERANKER, circuit: "n/a" };
    const engine = await engineState(services.engine);
    const ready = articles > 0 && semantic !== false && engine.status === "ok";
    return Response.json(
      // pid: which server process answered (with several, each answers for itself).
      { status: ready ? "ready" : "not_ready", pid: process.pid, articles, semantic_index: semantic, engine, reranker },
      { status: ready ? 200 : 503, headers },
    );
  } catch (error) {
    return Response.json({ status: "not_ready", error: error instanceof Error ? error.message.split("\n")[0] : "unavailable" }, { status: 503, headers });
  }
}

/** Whether the keyword engine answers (a document count: SQLite reads its table, Meilisearch answers one request). */
async function engineState(engine: { name: string; count(): Promise<number> }): Promise<{ name: string; status: "ok" | "unavailable" }> {
  try {
    await engine.count();
    return { name: engine.name, status: "ok" };
  } catch (error) {
    if (error instanceof EngineUnavailableError) return { name: engine.name, status: "unavailable" };
    throw error;
  }
}
