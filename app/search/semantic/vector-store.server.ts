import { openDatabase, type Db } from "~/db/db.server";

/**
 * Stored sentence vectors, keyed by text hash and model id. With a shared cache (another file,
 * VECTOR_CACHE_PATH), vectors missing here are taken from it and new ones are written to both:
 * the test suite, the e2e server and the eval CLI of one run embed the seed corpus once.
 */
export class VectorStore {
  constructor(
    private readonly db: Db,
    private readonly shared?: VectorStore,
  ) {}

  getMany(hashes: readonly string[], modelId: string): Map<string, Float32Array> {
    const out = this.getLocal(hashes, modelId);
    if (this.shared && out.size < hashes.length) {
      const fromShared = this.shared.getMany(hashes.filter((h) => !out.has(h)), modelId);
      if (fromShared.size) this.putLocal(fromShared, modelId);
      for (const [hash, vector] of fromShared) out.set(hash, vector);
    }
    return out;
  }

  putMany(entries: Iterable<[hash: string, vector: Float32Array]>, modelId: string): void {
    const list = [...entries];
    this.putLocal(list, modelId);
    this.shared?.putMany(list, modelId);
  }

  private getLocal(hashes: readonly string[], modelId: string): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    if (!hashes.length) return out;
    const select = this.db.prepare(
      `SELECT text_hash, vector FROM text_vectors
       WHERE model_id = ? AND text_hash IN (SELECT value FROM json_each(?))`,
    );
    for (let i = 0; i < hashes.length; i += 500) {
      const rows = select.all(modelId, JSON.stringify(hashes.slice(i, i + 500))) as { text_hash: string; vector: Buffer }[];
      for (const row of rows) out.set(row.text_hash, toFloat32(row.vector));
    }
    return out;
  }

  private putLocal(entries: Iterable<[hash: string, vector: Float32Array]>, modelId: string): void {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO text_vectors (text_hash, model_id, dims, vector) VALUES (?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const [hash, vector] of entries) {
        insert.run(hash, modelId, vector.length, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
      }
    }).immediate();
  }

  count(modelId: string): number {
    return this.db.prepare("SELECT count(*) FROM text_vectors WHERE model_id = ?").pluck().get(modelId) as number;
  }
}

/**
 * A vector store in a database file of its own (VECTOR_CACHE_PATH), which several processes may
 * open at once (WAL, migrations safe to race).
 */
export function openVectorCache(file: string): { store: VectorStore; close(): void } {
  const db = openDatabase(file);
  return { store: new VectorStore(db), close: () => db.close() };
}

/** A float32 BLOB as a vector of its own. */
export function toFloat32(buffer: Buffer): Float32Array {
  // Copy: the Buffer may share a pool and need not be 4-byte aligned.
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return new Float32Array(copy.buffer);
}
