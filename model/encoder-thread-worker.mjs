// Entry of an EncoderThread (encoder-thread.ts): TypeScript is loaded through tsx, as everywhere else.
import { register } from "tsx/esm/api";

register();
await import("./encoder-thread-worker.ts");
