import { randomBytes } from "node:crypto";
import type { Db } from "~/db/db.server";
import type { Role } from "./users.server";

export const SESSION_DAYS = 14;

export interface SessionUser {
  sessionId: string;
  id: number;
  email: string;
  name: string;
  role: Role;
}

/**
 * Server-side sessions: the cookie holds only a random id, looked up on every request, so a
 * session ends the moment its row is deleted (sign-out, user disabled, password changed).
 */
export class SessionStore {
  constructor(private readonly db: Db) {}

  create(userId: number, days = SESSION_DAYS): string {
    const id = randomBytes(32).toString("base64url");
    const created = new Date();
    const expires = new Date(created.getTime() + days * 86_400_000);
    this.db
      .prepare("INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
      .run(id, userId, created.toISOString(), expires.toISOString());
    return id;
  }

  /** The live session's user; undefined when the session ended, expired or its user is disabled. */
  get(id: string): SessionUser | undefined {
    const row = this.db
      .prepare(
        `SELECT s.id AS sessionId, u.id AS id, u.email AS email, u.name AS name, u.role AS role
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id = ? AND s.expires_at > ? AND u.disabled_at IS NULL`,
      )
      .get(id, new Date().toISOString()) as SessionUser | undefined;
    return row;
  }

  delete(id: string): void {
    this.db.prepare("DELETE FROM sessions WHERE id = ?").run(id);
  }

  /** Ends every session of a user, optionally keeping one (the one that changed the password). */
  deleteForUser(userId: number, keep?: string): void {
    this.db.prepare("DELETE FROM sessions WHERE user_id = ? AND id <> ?").run(userId, keep ?? "");
  }

  deleteExpired(): number {
    return this.db.prepare("DELETE FROM sessions WHERE expires_at <= ?").run(new Date().toISOString()).changes;
  }
}
