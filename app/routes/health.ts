/** GET /health — liveness: the process answers. Touches nothing, logs nothing. */
export const loader = () => Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
