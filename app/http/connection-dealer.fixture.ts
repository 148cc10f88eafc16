/**
 * A cluster of tiny HTTP servers behind a ConnectionDealer, for connection-dealer.server.test.ts:
 * prints {"port": N} once every worker is ready. GET / answers the worker's pid and the client's
 * address; GET /slow answers after 500 ms.
 */
import cluster from "node:cluster";
import http from "node:http";
import { ConnectionDealer, serveDealtConnections } from "./connection-dealer.server";

const WORKERS = 2;

if (cluster.isPrimary) {
  const dealer = new ConnectionDealer(
    { port: 0, host: "127.0.0.1" },
    {
      listening: () => undefined,
      error: (error) => {
        console.error(error.message);
        process.exit(1);
      },
    },
  );
  for (let i = 0; i < WORKERS; i++) dealer.add(cluster.fork());
  const waiting = setInterval(() => {
    if (dealer.connections().size === WORKERS && dealer.port) {
      clearInterval(waiting);
      console.log(JSON.stringify({ port: dealer.port }));
    }
  }, 20);
  process.on("SIGTERM", () => {
    dealer.close();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    cluster.on("exit", () => {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(0);
    });
  });
} else {
  const server = http.createServer((req, res) => {
    const reply = () => res.end(JSON.stringify({ pid: process.pid, remote: req.socket.remoteAddress }));
    if (req.url === "/slow") setTimeout(reply, 500);
    else reply();
  });
  server.headersTimeout = 1000;
  server.requestTimeout = 1000;
  // How often http looks for timed-out requests (30 s by default; not in @types/node 20).
  Object.assign(server, { connectionsCheckingInterval: 200 });
  const dealt = serveDealtConnections(server);
  process.on("SIGTERM", () => void dealt.drain(3000).then(() => process.exit(0)));
}
