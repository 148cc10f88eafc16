import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { importArticles } from "~/articles/import.server";
import { parseEnv } from "~/config/env.server";
import { search } from "~/search/pipeline.server";
import type { Embedder } from "~/search/semantic/embedder.server";
import { createServices, type Services } from "./services.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-services-"));
const articles = path.join(dir, "articles");
fs.mkdirSync(articles);
const copy = (slug: string) => fs.copyFileSync(path.join("seed/articles/en", `${slug}.md`), path.join(articles, `${slug}.md`));
const opened: Services[] = [];
const open = async () => {
  const services = await createServices(parseEnv({ DATABASE_PATH: path.join(dir, "shared.db") }));
  opened.push(services);
  return services;
};
afterAll(async () => {
  for (const s of opened) await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("services shared by a server and the import CLI", () => {
  it("rebuilds the server's indexes after another process imports, and only then", async () => {
    copy("track-your-order");
    const server = await open();
    await importArticles({ dir: articles, store: server.store, engine: server.engine });
    await server.refreshIndexes();
    expect(await server.refreshIfStale()).toBe(false);
    const before = await search(server.searchDeps(), { q: "reset my password", surface: "help", limit: 5, offset: 0 });
    expect(before.results.map((r) => r.slug)).not.toContain("reset-your-password");

    // The CLI: its own connection to the same database file.
    copy("reset-your-password");
    const cli = await open();
    const summary = await importArticles({ dir: articles, store: cli.store, engine: cli.engine });
    expect(summary.added).toBe(1);

    expect(await server.refreshIfStale()).toBe(true);
    const after = await search(server.searchDeps(), { q: "reset my password", surface: "help", limit: 5, offset: 0 });
    expect(after.results[0]?.slug).toBe("reset-your-password");
    expect(after.results[0]?.explain.semantic?.value).toBeGreaterThan(0);
    expect(after.results[0]?.explain.phrasing?.value).toBeGreaterThan(0);
    expect(await server.refreshIfStale()).toBe(false);

    // A write that changes no article (e.g. an unchanged re-import) does not rebuild.
    cli.db.prepare("CREATE TABLE IF NOT EXISTS scratch (x)").run();
    expect(await server.refreshIfStale()).toBe(false);
  });

  it("a query one server process encoded is not encoded again by another", async () => {
    const [first, second] = [await open(), await open()];
    await Promise.all([first.refreshIndexes(), second.refreshIndexes()]);
    const stored = first.queryVectors.count();
    const query = { q: "my parcel has not moved for a week", surface: "help" as const, limit: 5, offset: 0 };
    const fromFirst = await search(first.searchDeps(), query);
    expect(fromFirst.results[0]?.explain.semantic?.value).toBeGreaterThan(0);
    await vi.waitFor(() => expect(second.queryVectors.count()).toBe(stored + 1));

    // The model behind the second process's cache: it must not be asked.
    const model = (second.embedder as unknown as { inner: Embedder }).inner;
    const encode = vi.spyOn(model, "embed");
    const fromSecond = await search(second.searchDeps(), query);
    expect(encode).not.toHaveBeenCalled();
    expect(fromSecond.results.map((r) => [r.slug, r.explain.semantic?.score])).toEqual(fromFirst.results.map((r) => [r.slug, r.explain.semantic?.score]));
    await search(second.searchDeps(), { ...query, q: "a question nobody asked before" });
    expect(encode).toHaveBeenCalledTimes(1);
  });
});
