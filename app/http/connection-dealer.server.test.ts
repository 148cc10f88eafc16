import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";

/** Starts connection-dealer.fixture.ts (a primary and two workers) and returns its port. */
async function startCluster(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "app/http/connection-dealer.fixture.ts"], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.on("exit", (code) => reject(new Error(`the cluster exited (${code}) before it was ready`)));
  });
  return { child, port };
}

function get(port: number, path: string, agent: http.Agent): Promise<{ status: number; pid: number; remote: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, agent }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ...(JSON.parse(body) as { pid: number; remote: string }) }));
      })
      .on("error", reject);
  });
}

const keepAlive = () => new http.Agent({ keepAlive: true, maxSockets: 1 });

describe("ConnectionDealer (a real cluster: a primary and two server processes)", () => {
  let cluster: { child: ChildProcess; port: number } | undefined;
  const agents: http.Agent[] = [];
  afterEach(async () => {
    for (const agent of agents.splice(0)) agent.destroy();
    const child = cluster?.child;
    cluster = undefined;
    if (child && child.exitCode === null) {
      await new Promise((resolve) => {
        child.on("exit", resolve);
        child.kill("SIGTERM");
      });
    }
  });

  it("deals connections opened all at once evenly, and a kept-alive connection stays with its process", async () => {
    cluster = await startCluster();
    agents.push(...Array.from({ length: 8 }, keepAlive));
    const first = await Promise.all(agents.map((agent) => get(cluster!.port, "/", agent)));
    const perProcess = new Map<number, number>();
    for (const r of first) perProcess.set(r.pid, (perProcess.get(r.pid) ?? 0) + 1);
    expect([...perProcess.values()]).toEqual([4, 4]);
    expect(first.every((r) => r.status === 200 && r.remote === "127.0.0.1")).toBe(true);
    const second = await Promise.all(agents.map((agent) => get(cluster!.port, "/", agent)));
    expect(second.map((r) => r.pid)).toEqual(first.map((r) => r.pid));
  });

  it("gives a new connection to the process with the fewest open ones once one closes", async () => {
    cluster = await startCluster();
    const [a, b] = [keepAlive(), keepAlive()];
    agents.push(b);
    const onA = await get(cluster.port, "/", a);
    const onB = await get(cluster.port, "/", b);
    expect(onB.pid).not.toBe(onA.pid);
    a.destroy(); // closes the first process's only connection
    await new Promise((resolve) => setTimeout(resolve, 200));
    const c = keepAlive();
    agents.push(c);
    expect((await get(cluster.port, "/", c)).pid).toBe(onA.pid);
  });

  it("keeps http's guard against slow clients: a request whose headers never finish gets 408", async () => {
    cluster = await startCluster();
    const socket = net.connect(cluster.port, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nHost: x\r\n"));
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      let data = "";
      socket.on("data", (d: Buffer) => (data += d.toString()));
      socket.on("close", () => resolve(data));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("finishes a request in flight when it is stopped", async () => {
    cluster = await startCluster();
    const agent = keepAlive();
    agents.push(agent);
    const slow = get(cluster.port, "/slow", agent);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const exited = new Promise<number | null>((resolve) => cluster!.child.on("exit", resolve));
    cluster.child.kill("SIGTERM");
    expect((await slow).status).toBe(200);
    expect(await exited).toBe(0);
  });
});
