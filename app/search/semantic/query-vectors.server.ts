import { hashText } from "~/articles/passages";
import { nonBlockingWrites, statementCache, type Db } from "~/db/db.server";
import type { Statement } from "better-sqlite3";
import type { EncoderRole, SharedQueryVectors } from "./embedder.server";
import { toFloat32 } from "./vector-store.server";
import { maskPersonalData } from "../ticket-query";

/** How many query vectors the database keeps (all models together): about 1.6 KB each at 384 dimensions. */
export const QUERY_VECTORS_KEPT = 20_000;

/** Every this many rows a process stores, it deletes the oldest past the limit. */
const PRUNE_EVERY = 500;

/**
 * Query and instruction vectors in the database, shared by every server process: with several
 * processes, a repeated query lands on any of them, and each would otherwise encode it again
 * (docs/decisions/010). Rows are keyed by a hash of the model's input, so no query text is kept,
 * and a text with personal data in it (an e-mail address, a phone or order number: what the
 * search log masks) is neither stored nor looked up: a vector can give away some of its text.
 * A failed write costs a later encode, never a search: it is logged and dropped. The table is
 * kept to about QUERY_VECTORS_KEPT rows by the processes that write it.
 */
export class QueryVectorStore implements SharedQueryVectors {
  private readonly statement: (sql: string) => Statement;
  private readonly write: <T>(work: () => T) => Promise<T>;
  private writeFailures = 0;
  private stored = 0;

  constructor(
    private readonly db: Db,
    private readonly keep = QUERY_VECTORS_KEPT,
  ) {
    this.statement = statementCache(db);
    this.write = nonBlockingWrites(db);
  }

  get(role: EncoderRole, text: string, modelId: string): Float32Array | undefined {
    if (!shareable(text)) return undefined;
    const row = this.statement("SELECT vector FROM query_vectors WHERE text_hash = ? AND model_id = ?").get(hashText(role, text), modelId) as
      | { vector: Buffer }
      | undefined;
    return row && toFloat32(row.vector);
  }

  /** Settles when the row is written or the write was given up; never rejects. */
  async put(role: EncoderRole, text: string, modelId: string, vector: Float32Array): Promise<void> {
    if (!shareable(text)) return;
    const key = hashText(role, text);
    try {
      await this.write(() => {
        this
          .statement("INSERT INTO query_vectors (text_hash, model_id, vector) VALUES (?, ?, ?) ON CONFLICT (text_hash, model_id) DO NOTHING")
          .run(key, modelId, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
        if (++this.stored % PRUNE_EVERY === 0) this.prune();
      });
    } catch (error) {
      // Once in a while, not per search: a locked database would otherwise fill the log.
      if (this.writeFailures++ % 100 === 0) console.error(`Query vector not stored (${this.writeFailures} so far): ${(error as Error).message}`);
    }
  }

  /** Deletes all but the newest rows (about `keep`: rows stored in the same millisecond go together); returns how many went. */
  prune(): number {
    const cutoff = this.statement("SELECT created_at FROM query_vectors ORDER BY created_at DESC LIMIT 1 OFFSET ?").get(this.keep) as
      | { created_at: string }
      | undefined;
    if (!cutoff) return 0;
    return this.statement("DELETE FROM query_vectors WHERE created_at <= ?").run(cutoff.created_at).changes;
  }

  count(): number {
    return this.db.prepare("SELECT count(*) FROM query_vectors").pluck().get() as number;
  }
}

function shareable(text: string): boolean {
  return maskPersonalData(text) === text;
}
