import { createHash, randomBytes } from "node:crypto";
import type { Db } from "~/db/db.server";

import type { KeyScope } from "./api-key-scopes";

export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  scope: KeyScope;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  scope: KeyScope;
  created_by_email: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const KEY_PREFIX = "hr_";
// Keys are 256 random bits: a fast hash is enough (nothing to brute-force), and lookups stay cheap.
const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

const SELECT = `SELECT k.id, k.name, k.prefix, k.scope, u.email AS created_by_email, k.created_at, k.last_used_at, k.revoked_at
  FROM api_keys k LEFT JOIN users u ON u.id = k.created_by`;

/** API keys for integrations: shown once when created, stored as a SHA-256 hash. */
export class ApiKeyStore {
  constructor(private readonly db: Db) {}

  create(input: { name: string; scope: KeyScope; createdBy?: number }): { key: string; record: ApiKey } {
    const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
    const id = this.db
      .prepare("INSERT INTO api_keys (name, prefix, key_hash, scope, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
      .pluck()
      .get(input.name.trim(), key.slice(0, 10), hashKey(key), input.scope, input.createdBy ?? null, new Date().toISOString()) as number;
    return { key, record: this.byId(id)! };
  }

  byId(id: number): ApiKey | undefined {
    const row = this.db.prepare(`${SELECT} WHERE k.id = ?`).get(id) as ApiKeyRow | undefined;
    return row && toApiKey(row);
  }

  list(): ApiKey[] {
    return (this.db.prepare(`${SELECT} ORDER BY k.created_at DESC, k.id DESC`).all() as ApiKeyRow[]).map(toApiKey);
  }

  /** The live key for a presented secret (and notes its use); undefined when unknown or revoked. */
  verify(key: string): ApiKey | undefined {
    const row = this.db.prepare(`${SELECT} WHERE k.key_hash = ? AND k.revoked_at IS NULL`).get(hashKey(key)) as ApiKeyRow | undefined;
    if (!row) return undefined;
    this.db.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?").run(new Date().toISOString(), row.id);
    return toApiKey(row);
  }

  revoke(id: number): boolean {
    return this.db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(new Date().toISOString(), id).changes > 0;
  }
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope,
    createdBy: row.created_by_email,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
