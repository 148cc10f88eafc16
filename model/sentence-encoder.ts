import { Tokenizer } from "@huggingface/tokenizers";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { createSession, ort, type SessionOptions } from "./ort";

/**
 * What a query or a stored text is: asymmetric models (E5, BGE) embed them with different
 * prefixes; symmetric ones (MiniLM, USE) ignore the role.
 */
export type EncoderRole = "query" | "passage";

/** `helprank-encoder.json`, next to the model: everything the runtime needs to know about it. */
export const encoderConfigSchema = z.object({
  /** Vectors are stored under this id: a new id re-embeds everything exactly once. */
  id: z.string().min(1),
  /** "transformer": a Hugging Face encoder (BERT, MiniLM, XLM-R); "use-lite": USE-lite's sparse input. */
  kind: z.enum(["transformer", "use-lite"]),
  file: z.string().min(1).default("model.onnx"),
  dimensions: z.number().int().positive(),
  pooling: z.enum(["mean", "cls"]).default("mean"),
  normalize: z.boolean().default(true),
  /** Tokens per text, special tokens included; longer texts are cut. */
  maxTokens: z.number().int().min(8).max(8192).default(256),
  queryPrefix: z.string().default(""),
  passagePrefix: z.string().default(""),
  /** Graph inputs, of input_ids, attention_mask, token_type_ids. */
  inputs: z.array(z.enum(["input_ids", "attention_mask", "token_type_ids"])).default(["input_ids", "attention_mask"]),
  output: z.string().default("last_hidden_state"),
  /** Article locales the model understands; others get no semantic stage. */
  locales: z.array(z.string().min(2)).min(1).default(["en"]),
});
export type EncoderConfig = z.infer<typeof encoderConfigSchema>;

export const ENCODER_CONFIG_FILE = "helprank-encoder.json";

export interface SentenceEncoder {
  readonly id: string;
  /** Same as `id`: the name under which vectors of this model are stored. */
  readonly modelId: string;
  readonly dimensions: number;
  readonly locales: readonly string[];
  readonly config: EncoderConfig;
  /** One L2-normalised vector per text, in order. */
  embed(texts: readonly string[], role?: EncoderRole): Promise<Float32Array[]>;
  release(): Promise<void>;
}

export function readEncoderConfig(dir: string): EncoderConfig {
  const file = path.join(dir, ENCODER_CONFIG_FILE);
  if (!fs.existsSync(file)) throw new Error(`sentence encoder: no ${ENCODER_CONFIG_FILE} in ${dir}`);
  const parsed = encoderConfigSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`sentence encoder: invalid ${file}: ${issues}`);
  }
  return parsed.data;
}

/** Loads the encoder a folder describes (its helprank-encoder.json); `file` overrides the ONNX file. */
export async function loadSentenceEncoder(dir: string, options: SessionOptions & { file?: string } = {}): Promise<SentenceEncoder> {
  const base = readEncoderConfig(dir);
  const config = options.file && options.file !== base.file ? { ...base, file: options.file, id: `${base.id}:${options.file}` } : base;
  const tokenizerConfigFile = path.join(dir, "tokenizer_config.json");
  const tokenizer = new Tokenizer(
    JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
    fs.existsSync(tokenizerConfigFile) ? JSON.parse(fs.readFileSync(tokenizerConfigFile, "utf8")) : {},
  );
  const session = await createSession(path.join(dir, config.file), options);
  if (config.kind === "use-lite") return new UseLiteEncoder(config, session, tokenizer);
  const missing = config.inputs.filter((name) => !session.inputNames.includes(name));
  if (missing.length || !session.outputNames.includes(config.output)) {
    await session.release();
    throw new Error(
      `sentence encoder ${config.id}: the graph has inputs [${session.inputNames.join(", ")}] and outputs [${session.outputNames.join(", ")}], the config names [${config.inputs.join(", ")}] -> ${config.output}`,
    );
  }
  return new TransformerEncoder(config, session, tokenizer);
}

abstract class BaseEncoder {
  constructor(
    readonly config: EncoderConfig,
    protected readonly session: ort.InferenceSession,
    protected readonly tokenizer: Tokenizer,
  ) {}

  get id(): string {
    return this.config.id;
  }
  get modelId(): string {
    return this.config.id;
  }
  get dimensions(): number {
    return this.config.dimensions;
  }
  get locales(): readonly string[] {
    return this.config.locales;
  }

  protected prefixed(text: string, role: EncoderRole): string {
    return (role === "query" ? this.config.queryPrefix : this.config.passagePrefix) + text;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/**
 * A sentence-transformers model exported to ONNX (model/convert/): token ids in, token states out;
 * pooling (mean over the attention mask, or the first token) and normalisation happen here.
 */
export class TransformerEncoder extends BaseEncoder implements SentenceEncoder {
  /** Texts per ONNX run; batches are formed from texts of similar length, so padding stays small. */
  static readonly BATCH = 16;

  /**
   * Every token covers at least one character, and none of this vocabulary's covers more than a
   * few dozen: the first maxTokens tokens lie within this many characters per token, so longer
   * texts are cut before tokenizing (a 20,000-character document took 4 ms, its first 8,192 1.4).
   */
  static readonly CHARS_PER_TOKEN_BOUND = 32;

  /** Token ids with the model's special tokens, cut to maxTokens (the closing token is kept). */
  tokenize(text: string, role: EncoderRole = "passage"): number[] {
    const budget = this.config.maxTokens * TransformerEncoder.CHARS_PER_TOKEN_BOUND;
    const ids = this.tokenizer.encode(this.prefixed(text.length > budget ? text.slice(0, budget) : text, role)).ids;
    const max = this.config.maxTokens;
    return ids.length <= max ? ids : [...ids.slice(0, max - 1), ids[ids.length - 1]!];
  }

  async embed(texts: readonly string[], role: EncoderRole = "passage"): Promise<Float32Array[]> {
    // Batches of similar length (by characters), each tokenized just before it runs: a large
    // request never holds the event loop for longer than one batch's tokenizing.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    const out: Float32Array[] = new Array(texts.length);
    for (let start = 0; start < order.length; start += TransformerEncoder.BATCH) {
      const rows = order.slice(start, start + TransformerEncoder.BATCH);
      const vectors = await this.run(rows.map((r) => this.tokenize(texts[r]!, role)));
      rows.forEach((r, i) => (out[r] = vectors[i]!));
    }
    return out;
  }

  private async run(batch: number[][]): Promise<Float32Array[]> {
    const width = Math.max(1, ...batch.map((ids) => ids.length));
    const size = batch.length * width;
    const ids = new BigInt64Array(size);
    const mask = new BigInt64Array(size);
    batch.forEach((row, r) =>
      row.forEach((id, t) => {
        ids[r * width + t] = BigInt(id);
        mask[r * width + t] = 1n;
      }),
    );
    const dims = [batch.length, width];
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of this.config.inputs) {
      feeds[name] =
        name === "input_ids" ? new ort.Tensor("int64", ids, dims)
        : name === "attention_mask" ? new ort.Tensor("int64", mask, dims)
        : new ort.Tensor("int64", new BigInt64Array(size), dims);
    }
    const result = await this.session.run(feeds);
    const hidden = result[this.config.output]!.data as Float32Array;
    const d = this.config.dimensions;
    return batch.map((row, r) => {
      const v = new Float32Array(d);
      if (this.config.pooling === "cls") {
        v.set(hidden.subarray(r * width * d, r * width * d + d));
      } else {
        for (let t = 0; t < row.length; t++) {
          const offset = (r * width + t) * d;
          for (let k = 0; k < d; k++) v[k]! += hidden[offset + k]!;
        }
        for (let k = 0; k < d; k++) v[k]! /= Math.max(1, row.length);
      }
      return this.config.normalize ? normalise(v) : v;
    });
  }
}

/**
 * Universal Sentence Encoder Lite (model/use-lite-en): a sparse batch of token ids without special
 * tokens in, 512-dim L2-normalised vectors out. Symmetric: the role is ignored.
 */
export class UseLiteEncoder extends BaseEncoder implements SentenceEncoder {
  tokenize(text: string): number[] {
    const ids = this.tokenizer.encode(text, { add_special_tokens: false }).ids.slice(0, this.config.maxTokens);
    return ids.length ? ids : [0]; // an empty text still needs one row in the output
  }

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
    const embeddings = output[this.config.output];
    if (!embeddings) throw new Error(`model returned no '${this.config.output}' output`);
    const data = embeddings.data as Float32Array;
    const dims = this.dimensions;
    return texts.map((_, row) => data.slice(row * dims, (row + 1) * dims));
  }
}

function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (let k = 0; k < v.length; k++) norm += v[k]! * v[k]!;
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < v.length; k++) v[k]! /= norm;
  return v;
}

/**
 * Dot product of `a` with `a.length` values of `b` starting at `offset` (a row of a matrix);
 * equals cosine similarity for L2-normalised vectors.
 */
export function dot(a: Float32Array, b: Float32Array, offset = 0): number {
  // Four running sums: independent additions that the CPU can overlap (about twice as fast
  // as one sum over the thousands of stored vectors a search scores).
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i]! * b[offset + i]!;
    s1 += a[i + 1]! * b[offset + i + 1]!;
    s2 += a[i + 2]! * b[offset + i + 2]!;
    s3 += a[i + 3]! * b[offset + i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[offset + i]!;
  return s0 + s1 + s2 + s3;
}
