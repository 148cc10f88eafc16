import { abortedError, linkedAbortController } from "./http-reranker.server";
import {
  CircuitOpenError,
  RerankerBadResponseError,
  RerankerError,
  RerankerTimeoutError,
  RerankerUnavailableError,
  type RerankDocument,
  type RerankFailureReason,
  type Reranker,
} from "./reranker";

export type CircuitState = "closed" | "open" | "half-open";

export type RerankOutcome =
  | { status: "ok"; scores: number[]; ms: number }
  | { status: "fallback"; reason: RerankFailureReason; message: string; ms: number };

export interface ResilientRerankerOptions {
  /** Overall limit for one call, whatever the inner reranker does (default 800 ms). */
  timeoutMs?: number;
  /** Consecutive failures that open the circuit (default 3). */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through (default 30 s). */
  cooldownMs?: number;
  /** Clock for the circuit (injectable for tests); durations in outcomes use the real clock. */
  now?: () => number;
  /** Limit for health() (default 5000 ms). */
  healthTimeoutMs?: number;
  /** Called on every state change (for logs and metrics); exceptions in it are ignored. */
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

/**
 * Wraps a reranker with an overall timeout and a circuit breaker, so a slow or broken reranker
 * costs each search at most `timeoutMs` and, after `failureThreshold` consecutive failures,
 * nothing at all until the cooldown has passed.
 *
 * closed --(threshold consecutive failures)--> open --(cooldown)--> half-open (one trial call)
 * half-open --(trial succeeds)--> closed;  half-open --(trial fails)--> open (cooldown restarts)
 *
 * Cancellations by the caller ("aborted") are neither failures nor successes. Outcomes of calls
 * admitted before the circuit last opened are ignored: only the trial decides when it closes.
 * The timeout cannot interrupt an in-process reranker that blocks the event loop; it applies as
 * soon as that reranker yields.
 */
export class ResilientReranker implements Reranker {
  readonly timeoutMs: number;
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  readonly healthTimeoutMs: number;
  private readonly now: () => number;
  private readonly onStateChange: ResilientRerankerOptions["onStateChange"];

  private phase: "closed" | "open" = "closed";
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  /** Incremented whenever the circuit opens; calls remember the generation they were admitted in. */
  private generation = 0;
  private lastReported: CircuitState = "closed";

  constructor(
    readonly inner: Reranker,
    options: ResilientRerankerOptions = {},
  ) {
    this.timeoutMs = positive(options.timeoutMs ?? 800, "timeoutMs");
    this.failureThreshold = Math.max(1, Math.floor(positive(options.failureThreshold ?? 3, "failureThreshold")));
    this.cooldownMs = nonNegative(options.cooldownMs ?? 30_000, "cooldownMs");
    this.healthTimeoutMs = positive(options.healthTimeoutMs ?? 5_000, "healthTimeoutMs");
    this.now = options.now ?? Date.now;
    this.onStateChange = options.onStateChange;
  }

  get name(): Reranker["name"] {
    return this.inner.name;
  }

  get model(): string {
    return this.inner.model;
  }

  /**
   * "closed": calls go through; "open": calls fail fast; "half-open": the cooldown has passed
   * and the next call is (or is being) the trial.
   */
  get state(): CircuitState {
    if (this.phase === "closed") return "closed";
    return this.trialInFlight || this.now() - this.openedAt >= this.cooldownMs ? "half-open" : "open";
  }

  /** Failures since the last success. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Scores, or a typed RerankerError (CircuitOpenError while open). */
  async score(
    query: string,
    instruction: string | undefined,
    documents: readonly RerankDocument[],
    options?: { signal?: AbortSignal },
  ): Promise<number[]> {
    const signal = options?.signal;
    if (signal?.aborted) throw abortedError(signal);
    if (documents.length === 0) return [];

    const admission = this.admit();
    try {
      const scores = await this.callWithTimeout(query, instruction, documents, signal);
      checkScores(scores, documents.length, this.inner.name);
      this.recordSuccess(admission);
      return scores;
    } catch (error) {
      const failure = this.toRerankerError(error);
      // Only the caller's own cancellation is neutral; an inner reranker giving up by itself is a failure.
      if (failure.reason === "aborted" && signal?.aborted) this.recordCancellation(admission);
      else this.recordFailure(admission);
      throw failure;
    }
  }

  /** Never throws: scores, or why the search has to go on without them. */
  async scoreOrFallback(
    query: string,
    instruction: string | undefined,
    documents: readonly RerankDocument[],
    options?: { signal?: AbortSignal },
  ): Promise<RerankOutcome> {
    const start = performance.now();
    const ms = () => Math.round((performance.now() - start) * 10) / 10;
    try {
      const scores = await this.score(query, instruction, documents, options);
      return { status: "ok", scores, ms: ms() };
    } catch (error) {
      const failure = error instanceof RerankerError ? error : this.toRerankerError(error);
      return { status: "fallback", reason: failure.reason, message: failure.message, ms: ms() };
    }
  }

  /** The inner reranker's health, within `healthTimeoutMs`; never throws. */
  async health(): Promise<{ ok: boolean; detail?: string }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<{ ok: boolean; detail?: string }>((resolve) => {
        timer = setTimeout(
          () => resolve({ ok: false, detail: `health check did not answer within ${this.healthTimeoutMs} ms` }),
          this.healthTimeoutMs,
        );
      });
      const result = await Promise.race([Promise.resolve().then(() => this.inner.health()), timeout]);
      const state = this.state;
      if (state === "closed") return result;
      const circuit = `circuit ${state}`;
      return { ok: result.ok, detail: result.detail ? `${result.detail}; ${circuit}` : circuit };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  private admit(): { generation: number; trial: boolean } {
    if (this.phase === "closed") return { generation: this.generation, trial: false };
    const now = this.now();
    const retryInMs = this.openedAt + this.cooldownMs - now;
    if (this.trialInFlight) throw new CircuitOpenError(Math.max(retryInMs, this.timeoutMs));
    if (retryInMs > 0) throw new CircuitOpenError(retryInMs);
    this.trialInFlight = true;
    this.report();
    return { generation: this.generation, trial: true };
  }

  private recordSuccess(admission: { generation: number; trial: boolean }): void {
    if (admission.trial) this.trialInFlight = false;
    if (admission.generation !== this.generation) return;
    this.failures = 0;
    this.phase = "closed";
    this.report();
  }

  private recordFailure(admission: { generation: number; trial: boolean }): void {
    if (admission.trial) this.trialInFlight = false;
    if (admission.generation !== this.generation) return;
    this.failures += 1;
    if (admission.trial || (this.phase === "closed" && this.failures >= this.failureThreshold)) {
      this.phase = "open";
      this.openedAt = this.now();
      this.generation += 1;
    }
    this.report();
  }

  private recordCancellation(admission: { generation: number; trial: boolean }): void {
    // A cancelled trial proves nothing: the next call may try again.
    if (admission.trial) {
      this.trialInFlight = false;
      this.report();
    }
  }

  private report(): void {
    const state = this.state;
    if (state === this.lastReported) return;
    const previous = this.lastReported;
    this.lastReported = state;
    try {
      this.onStateChange?.(state, previous);
    } catch {
      // metrics must not break searches
    }
  }

  private callWithTimeout(
    query: string,
    instruction: string | undefined,
    documents: readonly RerankDocument[],
    signal: AbortSignal | undefined,
  ): Promise<number[]> {
    const { controller, dispose } = linkedAbortController(signal);
    return new Promise<number[]>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onCallerAbort);
        dispose();
        fn();
      };
      const timer = setTimeout(() => {
        const error = new RerankerTimeoutError(this.timeoutMs);
        settle(() => reject(error));
        controller.abort(error);
      }, this.timeoutMs);
      const onCallerAbort = () => {
        settle(() => reject(abortedError(signal)));
        controller.abort(signal?.reason);
      };
      signal?.addEventListener("abort", onCallerAbort, { once: true });

      let pending: Promise<number[]>;
      try {
        pending = Promise.resolve(this.inner.score(query, instruction, documents, { signal: controller.signal }));
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (scores) => settle(() => resolve(scores)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  /** Typed errors pass; anything else is a bug in the inner reranker: logged, reported as "unavailable". */
  private toRerankerError(error: unknown): RerankerError {
    if (error instanceof RerankerError) return error;
    console.error(`[rerank] ${this.inner.name} reranker (${this.inner.model}) failed unexpectedly:`, error);
    const message = error instanceof Error ? error.message : String(error);
    return new RerankerUnavailableError(`${this.inner.name} reranker failed: ${message}`, { cause: error });
  }
}

function checkScores(scores: unknown, count: number, name: string): asserts scores is number[] {
  if (!Array.isArray(scores)) {
    throw new RerankerBadResponseError(`${name} reranker returned ${typeof scores} instead of an array of scores`);
  }
  if (scores.length !== count) {
    throw new RerankerBadResponseError(`${name} reranker returned ${scores.length} scores for ${count} documents`);
  }
  const bad = scores.findIndex((s) => typeof s !== "number" || !Number.isFinite(s));
  if (bad !== -1) {
    throw new RerankerBadResponseError(`${name} reranker returned a non-finite score at ${bad}: ${String(scores[bad])}`);
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`ResilientReranker ${name} must be positive, got ${value}`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`ResilientReranker ${name} must be >= 0, got ${value}`);
  return value;
}
