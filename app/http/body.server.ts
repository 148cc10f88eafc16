import { isErrorNamed } from "~/errors";

/** A request body over its route's limit: answered 413 without reading the rest. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  /** Matches this error from either copy of the app's code (app/errors.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isErrorNamed(value, "BodyTooLargeError");
  }
  constructor(readonly limit: number) {
    super(`body is larger than ${limit} bytes`);
  }
}

/**
 * The body as text, read only up to `maxBytes`: a declared length over the limit is refused before
 * reading, and a chunked body is cancelled as soon as it passes the limit (never buffered whole).
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
