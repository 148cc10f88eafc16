import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DatabaseFileError, isDatabaseBusy, nonBlockingWrites, openDatabase } from "./db.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-db-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("openDatabase with an unusable DATABASE_PATH", () => {
  it.each([
    ["a directory", () => fs.mkdirSync(path.join(dir, "folder.db")) ?? path.join(dir, "folder.db"), /is a directory, not a database file$/],
    [
      "a file that is not a database",
      () => {
        const file = path.join(dir, "notes.db");
        fs.writeFileSync(file, "these are my notes, not a database ".repeat(200));
        return file;
      },
      /is not a SQLite database/,
    ],
    [
      "a path through a file",
      () => {
        fs.writeFileSync(path.join(dir, "plain-file"), "x");
        return path.join(dir, "plain-file", "app.db");
      },
      /a part of the path is a file, not a folder/,
    ],
  ])("%s: one line naming DATABASE_PATH, the path and the reason", (_what, make, reason) => {
    const file = make();
    let thrown: unknown;
    try {
      openDatabase(file);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DatabaseFileError);
    const message = (thrown as Error).message;
    expect(message.startsWith(`DATABASE_PATH ${file}: `)).toBe(true);
    expect(message).toMatch(reason);
    expect(message).not.toContain("\n");
  });

  it("a usable path opens, in WAL mode", () => {
    const db = openDatabase(path.join(dir, "ok", "app.db"));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("mmap_size", { simple: true })).toBe(256 * 2 ** 20);
    db.close();
    const plain = openDatabase(path.join(dir, "ok", "plain.db"), 5000, 0);
    expect(plain.pragma("mmap_size", { simple: true })).toBe(0);
    plain.close();
  });
});

describe("nonBlockingWrites", () => {
  function twoConnections(busyTimeoutMs: number) {
    const file = path.join(fs.mkdtempSync(path.join(dir, "busy-")), "app.db");
    const ours = openDatabase(file, busyTimeoutMs);
    const other = openDatabase(file);
    ours.exec("CREATE TABLE notes (text TEXT NOT NULL)");
    return { ours, other, count: () => ours.prepare("SELECT COUNT(*) FROM notes").pluck().get() as number };
  }

  it("while another connection holds the lock, this thread goes on working, and the write commits once the lock is free", async () => {
    const { ours, other, count } = twoConnections(2000);
    other.exec("BEGIN IMMEDIATE");
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    setTimeout(() => other.exec("COMMIT"), 150);
    try {
      const write = nonBlockingWrites(ours);
      const result = await write(() => ours.prepare("INSERT INTO notes (text) VALUES ('waited')").run().changes);
      expect(result).toBe(1);
      expect(count()).toBe(1);
      // SQLite's own busy wait would have slept on this thread for the whole 150 ms.
      expect(ticks).toBeGreaterThanOrEqual(10);
      expect(ours.pragma("busy_timeout", { simple: true })).toBe(2000);
    } finally {
      clearInterval(ticker);
      ours.close();
      other.close();
    }
  });

  it("past the connection's busy timeout it fails with SQLite's busy error, and nothing is written", async () => {
    const { ours, other, count } = twoConnections(100);
    other.exec("BEGIN IMMEDIATE");
    const started = performance.now();
    const error = await nonBlockingWrites(ours)(() => ours.prepare("INSERT INTO notes (text) VALUES ('lost')").run()).catch((e: unknown) => e);
    const waited = performance.now() - started;
    other.exec("COMMIT");
    expect(isDatabaseBusy(error)).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(waited).toBeLessThan(1000);
    expect(count()).toBe(0);
    expect(ours.pragma("busy_timeout", { simple: true })).toBe(100);
    ours.close();
    other.close();
  });

  it("any other error is thrown at once and rolls the whole transaction back", async () => {
    const { ours, other, count } = twoConnections(2000);
    const insert = ours.prepare("INSERT INTO notes (text) VALUES (?)");
    const write = nonBlockingWrites(ours);
    await expect(write(() => (insert.run("kept?"), insert.run(null)))).rejects.toThrow(/NOT NULL/);
    expect(count()).toBe(0);
    ours.close();
    other.close();
  });
});
