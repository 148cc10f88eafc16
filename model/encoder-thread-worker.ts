import { parentPort, workerData } from "node:worker_threads";
import type { EncoderThreadOptions, EncoderThreadReply, EncoderThreadRequest } from "./encoder-thread";
import { loadSentenceEncoder } from "./sentence-encoder";

const options = workerData as EncoderThreadOptions;
const encoder = loadSentenceEncoder(options.dir, { file: options.file, threads: options.threads, memoryArena: options.memoryArena ?? false });
// Loading failures are answered per request, so the caller sees the reason.
encoder.catch(() => undefined);

parentPort!.on("message", async ({ id, texts, role }: EncoderThreadRequest) => {
  let reply: EncoderThreadReply;
  try {
    reply = { id, vectors: await (await encoder).embed(texts, role) };
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  // Each vector's memory moves to the main thread instead of being copied.
  parentPort!.postMessage(reply, "vectors" in reply ? [...new Set(reply.vectors.map((v) => v.buffer as ArrayBuffer))] : []);
});
