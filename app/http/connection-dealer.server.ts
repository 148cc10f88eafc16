import type { Worker } from "node:cluster";
import type http from "node:http";
import net from "node:net";

/**
 * Several server processes behind one port, each connection given to the process holding the
 * fewest open ones (docs/decisions/010).
 *
 * node:cluster's own round robin hands a burst of new connections to whichever process
 * acknowledges the previous one first, and a kept-alive connection stays where it landed: eight
 * connections opened at once split 4/4, 3/5 or 2/6, and the busier process then answers every
 * request on its connections more slowly for as long as they live. Here the primary accepts each
 * connection without reading from it and passes the socket to a process over IPC.
 */

const CONNECTION = "helprank:connection";
const READY = "helprank:ready";
const CLOSED = "helprank:closed";

interface Message {
  type?: unknown;
}

const isMessage = (value: unknown, type: string): boolean => typeof value === "object" && value !== null && (value as Message).type === type;

/** The primary's side: listens on the port and deals connections to the processes that said they are ready. */
export class ConnectionDealer {
  private readonly open = new Map<number, { worker: Worker; connections: number }>();
  private readonly server: net.Server;
  private listening = false;
  private next = 0;

  constructor(
    private readonly address: { port: number; host: string },
    private readonly events: { listening: () => void; error: (error: Error) => void },
  ) {
    // Paused: not a byte is read here, so the process that gets the socket sees the whole request.
    this.server = net.createServer({ pauseOnConnect: true }, (socket) => this.deal(socket));
    this.server.on("error", (error) => this.events.error(error));
  }

  /** Follows a worker: it gets connections once it says it is ready, and none after it exits. */
  add(worker: Worker): void {
    worker.on("message", (message: unknown) => {
      if (isMessage(message, READY)) {
        this.open.set(worker.id, { worker, connections: 0 });
        if (!this.listening) {
          this.listening = true;
          this.server.listen(this.address.port, this.address.host, () => this.events.listening());
        }
      } else if (isMessage(message, CLOSED)) {
        const entry = this.open.get(worker.id);
        if (entry) entry.connections = Math.max(0, entry.connections - 1);
      }
    });
    worker.on("exit", () => this.open.delete(worker.id));
  }

  /** Open connections per ready worker, by worker id. */
  connections(): Map<number, number> {
    return new Map([...this.open].map(([id, entry]) => [id, entry.connections]));
  }

  /** The port it listens on (useful when asked for port 0); undefined before it listens. */
  get port(): number | undefined {
    const address = this.server.address();
    return typeof address === "object" && address ? address.port : undefined;
  }

  close(): void {
    this.server.close();
  }

  private deal(socket: net.Socket): void {
    const entries = [...this.open.values()];
    if (!entries.length) {
      socket.destroy();
      return;
    }
    // The fewest open connections; among equals, take turns.
    const fewest = Math.min(...entries.map((e) => e.connections));
    const candidates = entries.filter((e) => e.connections === fewest);
    const entry = candidates[this.next++ % candidates.length]!;
    entry.connections++;
    entry.worker.send({ type: CONNECTION }, socket, (error) => {
      if (!error) return;
      entry.connections = Math.max(0, entry.connections - 1);
      socket.destroy();
    });
  }
}

/**
 * A server process's side: serves the connections the primary deals to `server` (which does not
 * listen itself) and says when it is ready for them. `drain` stops it gracefully: requests in
 * flight finish, idle kept-alive connections close.
 */
export function serveDealtConnections(server: http.Server): { drain: (timeoutMs: number) => Promise<void> } {
  const sockets = new Set<net.Socket>();
  // http starts its request and header timeouts (the slow-client guard) when its server listens.
  server.emit("listening");
  process.on("message", (message: unknown, socket: unknown) => {
    if (!isMessage(message, CONNECTION) || !(socket instanceof net.Socket)) return;
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      process.send?.({ type: CLOSED });
    });
    server.emit("connection", socket);
    socket.resume();
  });
  process.send?.({ type: READY });
  return {
    async drain(timeoutMs) {
      server.close();
      const deadline = Date.now() + timeoutMs;
      while (sockets.size && Date.now() < deadline) {
        server.closeIdleConnections();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
