import { Tokenizer } from "@huggingface/tokenizers";
import fs from "node:fs";
import path from "node:path";
import { createSession, ort, type SessionOptions } from "./ort";

/**
 * A Hugging Face cross-encoder exported to ONNX (BERT / MiniLM / XLM-R style, e.g. ms-marco-MiniLM,
 * bge-reranker): the query and one document are encoded together as a pair and the model returns
 * one logit per pair.
 *
 * Directory layout: `model.onnx` (inputs `input_ids`, `attention_mask`, optionally `token_type_ids`,
 * int64 [batch, seq]; output `logits` [batch, n]), `tokenizer.json`, `tokenizer_config.json`.
 */
export interface CrossEncoderOptions extends SessionOptions {
  /** Pairs per ONNX run; default 16. */
  batchSize?: number;
  /** Overrides tokenizer_config.json's `model_max_length` (default 512 when that is absent). */
  maxLength?: number;
  /** ONNX file inside the directory; default `model.onnx`. */
  file?: string;
}

/** One tokenised (and, if needed, truncated) pair. */
export interface EncodedPair {
  ids: number[];
  /** Segment ids: 0 for `[CLS] query [SEP]`, 1 for `document [SEP]`. */
  typeIds: number[];
}

/** Where the special tokens of the pair template sit: prefix, query, middle, document, suffix. */
interface PairLayout {
  prefix: number;
  middle: number;
  suffix: number;
}

const DEFAULT_MAX_LENGTH = 512;
const DEFAULT_BATCH_SIZE = 16;

type TokenizerConfig = Record<string, unknown>;

function tokenContent(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as { content?: unknown }).content === "string") {
    return (value as { content: string }).content;
  }
  return undefined;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function sameIds(a: readonly number[], start: number, b: readonly number[]): boolean {
  if (start + b.length > a.length) return false;
  for (let i = 0; i < b.length; i++) if (a[start + i] !== b[i]) return false;
  return true;
}

export class CrossEncoder {
  private constructor(
    /** Directory basename, e.g. `tiny-random-cross-encoder`. */
    readonly id: string,
    /** Longest pair (in tokens, special tokens included) fed to the model. */
    readonly maxLength: number,
    readonly batchSize: number,
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: Tokenizer,
    private readonly padId: number,
    private readonly sepId: number | undefined,
    private readonly layout: PairLayout,
  ) {}

  static async load(dir: string, options: CrossEncoderOptions = {}): Promise<CrossEncoder> {
    const config = readJson(path.join(dir, "tokenizer_config.json")) as TokenizerConfig;
    const tokenizer = new Tokenizer(readJson(path.join(dir, "tokenizer.json")) as object, config);

    // HF writes a huge sentinel (1e30) when a tokenizer has no limit: treat it as absent.
    const configured = Number(config.model_max_length);
    const fromConfig = Number.isInteger(configured) && configured > 0 && configured <= 1_000_000 ? configured : DEFAULT_MAX_LENGTH;
    const maxLength = options.maxLength ?? fromConfig;
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`CrossEncoder: batchSize must be a positive integer, got ${batchSize}`);

    const padToken = tokenContent(config.pad_token);
    let padId = padToken !== undefined ? tokenizer.token_to_id(padToken) : undefined;
    if (padId === undefined) {
      const modelConfig = path.join(dir, "config.json");
      const fromModel = fs.existsSync(modelConfig) ? (readJson(modelConfig) as { pad_token_id?: unknown }).pad_token_id : undefined;
      padId = typeof fromModel === "number" ? fromModel : 0;
    }
    const sepToken = tokenContent(config.sep_token);
    const sepId = [sepToken, "[SEP]", "</s>"]
      .map((t) => (t === undefined ? undefined : tokenizer.token_to_id(t)))
      .find((id) => id !== undefined);

    const layout = detectLayout(tokenizer);
    const specials = layout.prefix + layout.middle + layout.suffix;
    if (!Number.isInteger(maxLength) || maxLength < specials + 2) {
      throw new Error(`CrossEncoder: maxLength must be an integer of at least ${specials + 2}, got ${maxLength}`);
    }

    const file = options.file ?? "model.onnx";
    const session = await createSession(path.join(dir, file), options);
    if (!session.inputNames.includes("input_ids")) {
      await session.release();
      throw new Error(`CrossEncoder: ${file} has no 'input_ids' input (inputs: ${session.inputNames.join(", ")})`);
    }
    const id = path.basename(path.resolve(dir));
    return new CrossEncoder(id, maxLength, batchSize, session, tokenizer, padId, sepId, layout);
  }

  /**
   * Tokenises one (query, document) pair with the tokenizer's pair template and truncates it to
   * `maxLength` the way HF's `longest_first` does: the longer text is cut first (normally the
   * document); when both are longer than half the budget, each keeps half. The special tokens,
   * the final `[SEP]` included, are always kept.
   */
  encodePair(query: string, document: string, queryLength = this.queryLength(query)): EncodedPair {
    // tokenizers.js treats an empty text_pair as "no pair"; a blank one gives the pair template with an
    // empty second segment, which is what transformers produces for "".
    const encoding = this.tokenizer.encode(query, {
      text_pair: document === "" ? " " : document,
      add_special_tokens: true,
      return_token_type_ids: true,
    });
    const ids = encoding.ids;
    const typeIds = encoding.token_type_ids ?? this.deriveTypeIds(ids);
    const { prefix, middle, suffix } = this.layout;
    const docLength = ids.length - prefix - queryLength - middle - suffix;
    if (docLength < 0) throw new Error("CrossEncoder: the pair encoding does not match the tokenizer's pair template");
    if (ids.length <= this.maxLength) return { ids, typeIds };

    const budget = this.maxLength - prefix - middle - suffix;
    const half = Math.floor(budget / 2);
    let keepQuery: number;
    let keepDoc: number;
    if (queryLength <= docLength) {
      keepQuery = Math.min(queryLength, half);
      keepDoc = budget - keepQuery;
    } else {
      keepDoc = Math.min(docLength, half);
      keepQuery = budget - keepDoc;
    }
    const queryEnd = prefix + queryLength;
    const docStart = queryEnd + middle;
    const pick = (xs: readonly number[]) => [
      ...xs.slice(0, prefix + keepQuery),
      ...xs.slice(queryEnd, docStart + keepDoc),
      ...xs.slice(xs.length - suffix),
    ];
    return { ids: pick(ids), typeIds: pick(typeIds) };
  }

  /** Raw logit (first output column) per document, in the order given. */
  async score(query: string, documents: readonly string[]): Promise<number[]> {
    if (!documents.length) return [];
    const queryLength = this.queryLength(query);
    const pairs = documents.map((doc) => this.encodePair(query, doc, queryLength));
    // Longest first, so that each batch holds pairs of similar length and is padded only to its own longest.
    const order = pairs.map((_, i) => i).sort((a, b) => pairs[b]!.ids.length - pairs[a]!.ids.length || a - b);
    const scores = new Array<number>(documents.length);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const rows = order.slice(start, start + this.batchSize);
      const logits = await this.run(rows.map((i) => pairs[i]!));
      rows.forEach((docIndex, row) => (scores[docIndex] = logits[row]!));
    }
    return scores;
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  private queryLength(query: string): number {
    return this.tokenizer.encode(query, { add_special_tokens: false }).ids.length;
  }

  private deriveTypeIds(ids: readonly number[]): number[] {
    return segmentIds(ids, this.sepId);
  }

  private async run(pairs: readonly EncodedPair[]): Promise<number[]> {
    const batch = pairs.length;
    const width = Math.max(...pairs.map((p) => p.ids.length));
    const inputIds = new BigInt64Array(batch * width).fill(BigInt(this.padId));
    const attention = new BigInt64Array(batch * width);
    const types = new BigInt64Array(batch * width);
    pairs.forEach((pair, row) => {
      const offset = row * width;
      pair.ids.forEach((id, col) => {
        inputIds[offset + col] = BigInt(id);
        attention[offset + col] = 1n;
        types[offset + col] = BigInt(pair.typeIds[col] ?? 0);
      });
    });
    const dims = [batch, width];
    const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor("int64", inputIds, dims) };
    const names = this.session.inputNames;
    if (names.includes("attention_mask")) feeds.attention_mask = new ort.Tensor("int64", attention, dims);
    if (names.includes("token_type_ids")) feeds.token_type_ids = new ort.Tensor("int64", types, dims);

    const output = await this.session.run(feeds);
    const logits = output.logits ?? output[this.session.outputNames[0] ?? ""];
    if (!logits) throw new Error("CrossEncoder: the model returned no 'logits' output");
    const data = logits.data as Float32Array;
    const columns = logits.dims.length > 1 ? Number(logits.dims[logits.dims.length - 1]) : 1;
    if (data.length !== batch * columns) throw new Error(`CrossEncoder: unexpected logits shape [${logits.dims.join(", ")}]`);
    return pairs.map((_, row) => data[row * columns]!);
  }
}

/**
 * Segment ids for a pair when the tokenizer does not return them: 0 up to and including the first
 * separator token, 1 after it (all 0 when there is no separator).
 */
export function segmentIds(ids: readonly number[], sepId: number | undefined): number[] {
  const firstSep = sepId === undefined ? -1 : ids.indexOf(sepId);
  if (firstSep === -1) return ids.map(() => 0);
  return ids.map((_, i) => (i <= firstSep ? 0 : 1));
}

/** Finds how many special tokens the pair template puts before, between and after the two texts. */
function detectLayout(tokenizer: Tokenizer): PairLayout {
  const a = "what is the question";
  const b = "here is the answer";
  const pair = tokenizer.encode(a, { text_pair: b, add_special_tokens: true }).ids;
  const aIds = tokenizer.encode(a, { add_special_tokens: false }).ids;
  const bIds = tokenizer.encode(b, { add_special_tokens: false }).ids;
  for (let prefix = 0; prefix <= 4; prefix++) {
    if (!sameIds(pair, prefix, aIds)) continue;
    for (let middle = 0; middle <= 4; middle++) {
      const docStart = prefix + aIds.length + middle;
      const suffix = pair.length - docStart - bIds.length;
      if (suffix >= 0 && sameIds(pair, docStart, bIds)) return { prefix, middle, suffix };
    }
  }
  throw new Error("CrossEncoder: could not locate the query and document in the tokenizer's pair encoding");
}
