import { Tokenizer } from "@huggingface/tokenizers";
import fs from "node:fs";
import path from "node:path";
import { createSession, ort, type SessionOptions } from "./ort";

/**
 * Universal Sentence Encoder Lite (ONNX): each text becomes a 512-dim L2-normalised vector.
 * Input contract (model/use-lite-en/README.md): a sparse batch of token ids, no special tokens.
 */
export class SentenceEncoder {
  static readonly MAX_TOKENS = 128;

  private constructor(
    readonly id: string,
    readonly dimensions: number,
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: Tokenizer,
  ) {}

  static async load(dir: string, options: SessionOptions & { file?: string } = {}): Promise<SentenceEncoder> {
    const file = options.file ?? "use_lite_int8.onnx";
    const tokenizer = new Tokenizer(
      JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
      JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")),
    );
    const session = await createSession(path.join(dir, file), options);
    const id = `${path.basename(path.resolve(dir))}/${file}`;
    return new SentenceEncoder(id, 512, session, tokenizer);
  }

  /** Same as `id`: the name under which vectors of this model are stored. */
  get modelId(): string {
    return this.id;
  }

  tokenize(text: string): number[] {
    const ids = this.tokenizer.encode(text, { add_special_tokens: false }).ids.slice(0, SentenceEncoder.MAX_TOKENS);
    return ids.length ? ids : [0]; // an empty text still needs one row in the output
  }

  /** One vector per text, in order. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const indices: number[] = [];
    const values: number[] = [];
    texts.forEach((text, row) => {
      this.tokenize(text).forEach((id, position) => {
        indices.push(row, position);
        values.push(id);
      });
    });
    const output = await this.session.run({
      indices: new ort.Tensor("int32", Int32Array.from(indices), [values.length, 2]),
      values: new ort.Tensor("int32", Int32Array.from(values), [values.length]),
    });
    const embeddings = output.embeddings;
    if (!embeddings) throw new Error("model returned no 'embeddings' output");
    const data = embeddings.data as Float32Array;
    const dims = this.dimensions;
    return texts.map((_, row) => data.slice(row * dims, (row + 1) * dims));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Dot product of `a` with `a.length` values of `b` starting at `offset` (a row of a matrix);
 * equals cosine similarity for L2-normalised vectors.
 */
export function dot(a: Float32Array, b: Float32Array, offset = 0): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[offset + i]!;
  return sum;
}
