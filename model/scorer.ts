import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CrossEncoder, type CrossEncoderOptions } from "./cross-encoder";
import type { SessionOptions } from "./ort";
import { instructionTopic } from "./instruction-topic";
import { dot, loadSentenceEncoder, type SentenceEncoder } from "./sentence-encoder";

export type ScorerKind = "embedding" | "cross-encoder";

export const SCORER_KINDS: readonly ScorerKind[] = ["embedding", "cross-encoder"];

/** Scores documents against a query; higher is more relevant. One score per document, in order. */
export interface Scorer {
  readonly kind: ScorerKind;
  readonly modelId: string;
  score(query: string, documents: string[], instruction?: string): Promise<number[]>;
  /** Frees the ONNX session. */
  release?(): Promise<void>;
}

/** The bundled default sentence encoder (docs/decisions/006). */
export const DEFAULT_EMBEDDING_DIR = fileURLToPath(new URL("./minilm-l6-en", import.meta.url));

/**
 * Weight of the instruction term of {@link EmbeddingScorer}. A bi-encoder has no way to condition on
 * an instruction, so its topic is used as a simple second query:
 * score = cos(query, doc) + 0.25 · cos(instructionTopic(instruction), doc).
 */
export const INSTRUCTION_WEIGHT = 0.25;

/**
 * The embedding score of each document: its cosine with the query, plus INSTRUCTION_WEIGHT × its
 * cosine with the instruction's topic when there is one. Cosines of unit vectors are clamped to
 * [-1, 1] against float rounding (1.0000001).
 */
export function embeddingScores(query: Float32Array, instruction: Float32Array | undefined, documents: readonly Float32Array[]): number[] {
  const cosine = (a: Float32Array, b: Float32Array) => Math.min(1, Math.max(-1, dot(a, b)));
  return documents.map((doc) => cosine(query, doc) + (instruction ? INSTRUCTION_WEIGHT * cosine(instruction, doc) : 0));
}

function hasInstruction(instruction: string | undefined): instruction is string {
  return instruction !== undefined && instruction.trim() !== "";
}

/**
 * Bi-encoder scorer: cosine similarity of L2-normalised sentence embeddings (the dot product).
 * With an instruction the score is `cos(query, doc) + INSTRUCTION_WEIGHT * cos(instruction, doc)` —
 * a simple instruction term, not a model that understands instructions.
 */
export class EmbeddingScorer implements Scorer {
  readonly kind = "embedding" as const;

  constructor(readonly encoder: SentenceEncoder) {}

  static async load(dir: string = DEFAULT_EMBEDDING_DIR, options?: SessionOptions & { file?: string }): Promise<EmbeddingScorer> {
    return new EmbeddingScorer(await loadSentenceEncoder(dir, options));
  }

  get modelId(): string {
    return this.encoder.id;
  }

  async score(query: string, documents: string[], instruction?: string): Promise<number[]> {
    if (!documents.length) return [];
    const withInstruction = hasInstruction(instruction);
    const heads = await this.encoder.embed(withInstruction ? [query, instructionTopic(instruction)] : [query], "query");
    const queryVector = heads[0]!;
    const instructionVector = withInstruction ? heads[1]! : undefined;
    return embeddingScores(queryVector, instructionVector, await this.encoder.embed(documents, "passage"));
  }

  release(): Promise<void> {
    return this.encoder.release();
  }
}

/** Cross-encoder scorer: the model's raw logit per (query, document) pair. */
export class CrossEncoderScorer implements Scorer {
  readonly kind = "cross-encoder" as const;

  constructor(readonly encoder: CrossEncoder) {}

  static async load(dir: string, options?: CrossEncoderOptions): Promise<CrossEncoderScorer> {
    return new CrossEncoderScorer(await CrossEncoder.load(dir, options));
  }

  get modelId(): string {
    return this.encoder.id;
  }

  /** An instruction is put in front of the query: `${instruction}\n${query}`. */
  score(query: string, documents: string[], instruction?: string): Promise<number[]> {
    const text = hasInstruction(instruction) ? `${instruction}\n${query}` : query;
    return this.encoder.score(text, documents);
  }

  release(): Promise<void> {
    return this.encoder.release();
  }
}

/**
 * Loads a scorer. `dir` defaults to the bundled USE-lite model for "embedding"; a cross-encoder has
 * no bundled model (only a random test fixture), so it needs a directory.
 */
export async function loadScorer(kind: ScorerKind, dir?: string, options?: CrossEncoderOptions): Promise<Scorer> {
  switch (kind) {
    case "embedding":
      return EmbeddingScorer.load(dir ?? DEFAULT_EMBEDDING_DIR, options);
    case "cross-encoder": {
      if (!dir) throw new Error("loadScorer: a cross-encoder needs a model directory (model.onnx, tokenizer.json, tokenizer_config.json)");
      if (!fs.existsSync(path.join(dir, "model.onnx"))) throw new Error(`loadScorer: no model.onnx in ${dir}`);
      return CrossEncoderScorer.load(dir, options);
    }
    default:
      throw new Error(`loadScorer: unknown scorer kind ${JSON.stringify(kind satisfies never)}`);
  }
}
