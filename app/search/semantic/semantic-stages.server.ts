import type { Locale } from "~/articles/article-schema";
import type { CachedEmbedder } from "./embedder.server";
import type { SemanticIndex } from "./semantic-index.server";

/** One sentence encoder and the index of the articles it serves. */
export interface SemanticStage {
  index: SemanticIndex;
  embedder: CachedEmbedder;
}

/**
 * The semantic stages, one per encoder (ENCODER_DIR lists them): each serves the locales of its
 * config that no earlier encoder serves, so an English model can answer English and a
 * multilingual one Chinese (docs/decisions/006).
 */
export class SemanticStages {
  constructor(readonly stages: readonly SemanticStage[]) {}

  /** The stage serving a locale; undefined when no encoder serves it. */
  forLocale(locale: Locale): SemanticStage | undefined {
    return this.stages.find((s) => s.index.supports(locale));
  }

  get locales(): string[] {
    return this.stages.flatMap((s) => [...s.index.locales]);
  }

  get modelIds(): string[] {
    return this.stages.map((s) => s.embedder.modelId);
  }
}

/** Which locales each encoder serves: its own, minus those an earlier encoder already serves. */
export function servedLocales(encoderLocales: readonly (readonly string[])[]): string[][] {
  const taken = new Set<string>();
  return encoderLocales.map((locales) => {
    const served = locales.filter((l) => !taken.has(l));
    served.forEach((l) => taken.add(l));
    return served;
  });
}
