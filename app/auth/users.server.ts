import { hash, verify } from "@node-rs/argon2";
import type { Db } from "~/db/db.server";
import { isErrorNamed } from "~/errors";

export const ROLES = ["agent", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  /** The password is still the published demo one (seed/users.json). */
  demoPassword: boolean;
  createdAt: string;
}

interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  demo_password: number;
  disabled_at: string | null;
  created_at: string;
}

export class DuplicateEmailError extends Error {
  override name = "DuplicateEmailError";
  /** Matches this error from either copy of the app's code (app/errors.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isErrorNamed(value, "DuplicateEmailError");
  }
  constructor(email: string) {
    super(`a user with the e-mail address ${email} already exists`);
  }
}

const now = () => new Date().toISOString();
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's minimum recommendation. */
export const hashPassword = (password: string) => hash(password);

// Verified against when the e-mail is unknown, so a wrong address costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Agents and admins (data access only; the guards live in auth.server.ts). */
export class UserStore {
  constructor(private readonly db: Db) {}

  list(): User[] {
    return (this.db.prepare("SELECT * FROM users ORDER BY email").all() as UserRow[]).map(toUser);
  }

  count(): number {
    return this.db.prepare("SELECT count(*) FROM users").pluck().get() as number;
  }

  byId(id: number): User | undefined {
    const row = this.db.prepare("SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  byEmail(email: string): User | undefined {
    const row = this.db.prepare("SELECT * FROM users WHERE email = ?").get(normaliseEmail(email)) as UserRow | undefined;
    return row && toUser(row);
  }

  async create(input: { email: string; name: string; role: Role; password: string; demoPassword?: boolean }): Promise<User> {
    const email = normaliseEmail(input.email);
    if (this.byEmail(email)) throw new DuplicateEmailError(email);
    const passwordHash = await hashPassword(input.password);
    const at = now();
    const id = this.db
      .prepare(
        `INSERT INTO users (email, name, role, password_hash, demo_password, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .pluck()
      .get(email, input.name.trim(), input.role, passwordHash, input.demoPassword ? 1 : 0, at, at) as number;
    return this.byId(id)!;
  }

  /** The user whose password this is; undefined for a wrong pair or a disabled user. */
  async verifyLogin(email: string, password: string): Promise<User | undefined> {
    const row = this.db.prepare("SELECT * FROM users WHERE email = ?").get(normaliseEmail(email)) as UserRow | undefined;
    if (!row) {
      dummyHash ??= hashPassword("not a real password");
      await verify(await dummyHash, password);
      return undefined;
    }
    const ok = await verify(row.password_hash, password);
    return ok && !row.disabled_at ? toUser(row) : undefined;
  }

  async checkPassword(id: number, password: string): Promise<boolean> {
    const stored = this.db.prepare("SELECT password_hash FROM users WHERE id = ?").pluck().get(id) as string | undefined;
    return stored !== undefined && verify(stored, password);
  }

  async setPassword(id: number, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    this.db.prepare("UPDATE users SET password_hash = ?, demo_password = 0, updated_at = ? WHERE id = ?").run(passwordHash, now(), id);
  }

  /** Disabling also ends every live session of the user, in the same transaction. */
  setDisabled(id: number, disabled: boolean): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?").run(disabled ? now() : null, now(), id);
      if (disabled) this.db.prepare("DELETE FROM sessions WHERE user_id = ?").run(id);
    }).immediate();
  }

  /** Enabled users whose password is still a published demo password. */
  withDemoPasswords(): User[] {
    return this.list().filter((u) => u.demoPassword && !u.disabled);
  }
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled_at !== null,
    demoPassword: row.demo_password === 1,
    createdAt: row.created_at,
  };
}
