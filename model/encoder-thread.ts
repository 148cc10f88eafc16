import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { EncoderRole } from "./sentence-encoder";

/** What the main thread asks of the encoder thread, and what it answers. */
export type EncoderThreadRequest = { id: number; texts: string[]; role: EncoderRole };
export type EncoderThreadReply = { id: number; vectors: Float32Array[] } | { id: number; error: string };
export interface EncoderThreadOptions {
  dir: string;
  /** An ONNX file other than the folder's own (ENCODER_FILE). */
  file?: string;
  /** onnxruntime intra-op threads of the thread's session. */
  threads?: number;
  /** onnxruntime's memory arena for the thread's session (ort.ts); off by default: its jobs are rare and large. */
  memoryArena?: boolean;
}

/**
 * The worker's entry: registers tsx, so the thread runs model/*.ts wherever it is started (tsx,
 * vitest). Beside this file; from the server build (bundled elsewhere), in model/ of the project.
 */
function workerFile(): string {
  const beside = fileURLToPath(new URL("./encoder-thread-worker.mjs", import.meta.url));
  return fs.existsSync(beside) ? beside : path.resolve("model/encoder-thread-worker.mjs");
}

/**
 * A sentence encoder of its own on a worker thread. onnxruntime-node runs a model on the calling
 * JavaScript thread, so a large embedding job (the rerank API's pasted documents) run on the main
 * thread holds up every search of the process for its whole length; here it holds up nothing, and
 * the searches' own model runs only share the CPU with it. The thread and its session start on
 * first use, so a process that never gets such a job pays nothing.
 */
export class EncoderThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(v: Float32Array[]): void; reject(e: Error): void }>();

  constructor(private readonly options: EncoderThreadOptions) {}

  embed(texts: readonly string[], role: EncoderRole = "passage"): Promise<Float32Array[]> {
    if (!texts.length) return Promise.resolve([]);
    const worker = this.start();
    const id = this.nextId++;
    // Held open while it has work; idle, it does not keep the process alive (CLIs, tests end when done).
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, texts: [...texts], role } satisfies EncoderThreadRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerFile(), { workerData: this.options });
    worker.on("message", (reply: EncoderThreadReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (!this.pending.size) worker.unref();
      if ("error" in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply.vectors);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`encoder thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
