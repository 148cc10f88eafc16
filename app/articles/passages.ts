import { createHash } from "node:crypto";
import type { Section } from "./markdown.server";
import type { Passage } from "./article-schema";

/**
 * Passages are bounded so that a sentence encoder (128 tokens) or a cross-encoder (256-512 tokens)
 * sees the whole passage. Size is counted in "units": a word of Latin script, or two CJK characters.
 */
export const MAX_PASSAGE_UNITS = 110;

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;

export function textUnits(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  const words = text.replace(CJK, " ").split(/\s+/).filter(Boolean).length;
  return words + Math.ceil(cjk / 2);
}

const sentenceSegmenter = new Intl.Segmenter("en", { granularity: "sentence" });

function splitSentences(text: string): string[] {
  return [...sentenceSegmenter.segment(text)].map((s) => s.segment.trim()).filter(Boolean);
}

/** Greedily packs paragraphs (then sentences, then words) into chunks of at most `max` units. */
export function chunkText(text: string, max = MAX_PASSAGE_UNITS): string[] {
  const pieces: string[] = [];
  for (const paragraph of text.split(/\n+/).map((p) => p.trim()).filter(Boolean)) {
    if (textUnits(paragraph) <= max) {
      pieces.push(paragraph);
      continue;
    }
    for (const sentence of splitSentences(paragraph)) {
      if (textUnits(sentence) <= max) pieces.push(sentence);
      else pieces.push(...splitByWords(sentence, max));
    }
  }
  const chunks: string[] = [];
  let current = "";
  for (const piece of pieces) {
    const candidate = current ? `${current}\n${piece}` : piece;
    if (current && textUnits(candidate) > max) {
      chunks.push(current);
      current = piece;
    } else {
      current = candidate;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

function splitByWords(text: string, max: number): string[] {
  const tokens = text.match(/[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3400-\u9fff\uf900-\ufaff]+/g) ?? [];
  const out: string[] = [];
  let current: string[] = [];
  for (const token of tokens) {
    current.push(token);
    if (textUnits(current.join(" ")) >= max) {
      out.push(joinTokens(current));
      current = [];
    }
  }
  if (current.length) out.push(joinTokens(current));
  return out;
}

function joinTokens(tokens: string[]): string {
  return tokens.join(" ").replace(/(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])/g, "");
}

export function hashText(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\u0000");
  return hash.digest("hex");
}

/** One passage per bounded chunk of each section; the section heading travels with it. */
export function buildPassages(sections: Section[]): Passage[] {
  const passages: Passage[] = [];
  for (const section of sections) {
    for (const text of chunkText(section.text)) {
      passages.push({
        position: passages.length,
        heading: section.heading,
        text,
        contentHash: hashText(section.heading, text),
      });
    }
  }
  return passages;
}
