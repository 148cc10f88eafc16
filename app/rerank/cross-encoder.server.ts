import { CrossEncoder } from "../../model/cross-encoder";
import type { Reranker, RerankDocument } from "./reranker";

/**
 * Any Hugging Face cross-encoder exported to ONNX (model.onnx + tokenizer.json), run in-process.
 * Logits become 0..1 relevance with a sigmoid. Classic cross-encoders are not instruction-aware:
 * the instruction reaches the ranking through the fusion's instruction term instead.
 */
export class CrossEncoderReranker implements Reranker {
  readonly name = "cross-encoder" as const;

  private constructor(private readonly encoder: CrossEncoder) {}

  static async load(dir: string): Promise<CrossEncoderReranker> {
    return new CrossEncoderReranker(await CrossEncoder.load(dir));
  }

  get model(): string {
    return this.encoder.id;
  }

  async score(query: string, _instruction: string | undefined, documents: readonly RerankDocument[]): Promise<number[]> {
    const logits = await this.encoder.score(query, documents.map((d) => d.text));
    return logits.map((logit) => 1 / (1 + Math.exp(-logit)));
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    return { ok: true, detail: `in-process ONNX model ${this.model}` };
  }
}
