import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DatabaseFileError, openDatabase } from "./db.server";

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
    db.close();
  });
});
