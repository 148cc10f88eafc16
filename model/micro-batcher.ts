import type { Scorer } from "./scorer";

export interface MicroBatcherOptions<I> {
  /** How long the first request of a batch waits for company; default 2 ms. */
  maxWaitMs?: number;
  /** A batch runs as soon as its items reach this size; default 64. */
  maxBatch?: number;
  /** Size of one item towards maxBatch (e.g. its number of documents); default 1. An item larger than maxBatch runs alone. */
  sizeOf?: (item: I) => number;
}

interface Waiter<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects concurrent requests for up to `maxWaitMs` (or until `maxBatch`) and runs them through one
 * call of `run`, which must return one output per item, in order. At most one `run` is in flight:
 * requests that arrive meanwhile queue up and go together in the next call. If `run` fails (or
 * returns the wrong number of outputs) every waiter of that batch gets the error; later batches still run.
 */
export class MicroBatcher<I, O> {
  private queue: Waiter<I, O>[] = [];
  private queuedSize = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  readonly maxWaitMs: number;
  readonly maxBatch: number;
  private readonly sizeOf: (item: I) => number;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    options: MicroBatcherOptions<I> = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 2;
    this.maxBatch = options.maxBatch ?? 64;
    this.sizeOf = options.sizeOf ?? (() => 1);
    if (!(this.maxWaitMs >= 0)) throw new Error(`MicroBatcher: maxWaitMs must be >= 0, got ${this.maxWaitMs}`);
    if (!(this.maxBatch >= 1)) throw new Error(`MicroBatcher: maxBatch must be >= 1, got ${this.maxBatch}`);
  }

  /** Number of requests waiting for a batch (not counting the one running). */
  get pending(): number {
    return this.queue.length;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.queuedSize += Math.max(0, this.sizeOf(item));
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || !this.queue.length) return;
    if (this.queuedSize >= this.maxBatch) {
      this.clearTimer();
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.maxWaitMs);
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Takes waiters from the front of the queue up to maxBatch (always at least one). */
  private take(): Waiter<I, O>[] {
    let size = 0;
    let count = 0;
    for (const waiter of this.queue) {
      const next = Math.max(0, this.sizeOf(waiter.item));
      if (count > 0 && size + next > this.maxBatch) break;
      size += next;
      count++;
    }
    this.queuedSize -= size;
    return this.queue.splice(0, count);
  }

  private async flush(): Promise<void> {
    if (this.running || !this.queue.length) return;
    this.running = true;
    const batch = this.take();
    try {
      const outputs = await this.run(batch.map((w) => w.item));
      if (!Array.isArray(outputs) || outputs.length !== batch.length) {
        throw new Error(`MicroBatcher: run returned ${Array.isArray(outputs) ? outputs.length : typeof outputs} outputs for ${batch.length} items`);
      }
      batch.forEach((w, i) => w.resolve(outputs[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.running = false;
    }
    // Whatever queued up during the run has waited long enough: run it now.
    if (this.queue.length) {
      this.clearTimer();
      void this.flush();
    }
  }
}

export interface ScoreRequest {
  query: string;
  documents: string[];
  instruction?: string;
}

export interface BatchedScorerOptions {
  maxWaitMs?: number;
  /** Documents per merged batch; default 256. */
  maxDocuments?: number;
  /**
   * Merge the documents of concurrent requests that share a query into one model call (default true).
   * With false, requests still queue behind each other (one model call in flight) but each is scored
   * on its own, so its scores never depend on other traffic. That matters for models whose outputs
   * depend on the batch they run in, such as the int8 USE-lite (dynamic quantisation: about 1e-3 in
   * cosine); fp32 cross-encoders agree across batchings to about 1e-6.
   */
  merge?: boolean;
}

/**
 * A {@link Scorer} that merges concurrent calls: requests that share a query and instruction are
 * scored in one model call with their documents concatenated; the others run one after the other.
 * Only one model call is in flight at a time. A failure of one query's call fails only the requests
 * of that query.
 */
export function batchScorer(scorer: Scorer, options: BatchedScorerOptions = {}): Scorer {
  type Outcome = { ok: true; scores: number[] } | { ok: false; error: unknown };
  const merge = options.merge ?? true;

  const batcher = new MicroBatcher<ScoreRequest, Outcome>(
    async (requests) => {
      const groups = new Map<string, number[]>();
      requests.forEach((r, i) => {
        const key = merge ? JSON.stringify([r.query, r.instruction ?? null]) : String(i);
        const members = groups.get(key);
        if (members) members.push(i);
        else groups.set(key, [i]);
      });
      const outcomes = new Array<Outcome>(requests.length);
      for (const members of groups.values()) {
        const first = requests[members[0]!]!;
        const documents = members.flatMap((i) => requests[i]!.documents);
        try {
          const scores = await scorer.score(first.query, documents, first.instruction);
          if (scores.length !== documents.length) {
            throw new Error(`scorer returned ${scores.length} scores for ${documents.length} documents`);
          }
          let offset = 0;
          for (const i of members) {
            const n = requests[i]!.documents.length;
            outcomes[i] = { ok: true, scores: scores.slice(offset, offset + n) };
            offset += n;
          }
        } catch (error) {
          for (const i of members) outcomes[i] = { ok: false, error };
        }
      }
      return outcomes;
    },
    { maxWaitMs: options.maxWaitMs, maxBatch: options.maxDocuments ?? 256, sizeOf: (r) => r.documents.length },
  );

  return {
    kind: scorer.kind,
    modelId: scorer.modelId,
    async score(query, documents, instruction) {
      if (!documents.length) return [];
      const outcome = await batcher.submit({ query, documents, instruction });
      if (!outcome.ok) throw outcome.error;
      return outcome.scores;
    },
    release: scorer.release ? () => scorer.release!() : undefined,
  };
}
