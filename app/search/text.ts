import { eng, removeStopwords, zho } from "stopword";
import type { Locale } from "~/articles/article-schema";

/** Han ideographs (CJK unified, extension A, compatibility). */
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
/** Format characters (zero-width spaces and joiners, BOM, soft hyphen, bidi marks) and friends. */
export const INVISIBLE = /[\p{Cf}\u180e\u2800\u3164\uffa0]/gu;

/** Zero-width space: invisible, and a token separator for FTS5's unicode61 tokenizer. */
export const WORD_JOINER = "\u200b";

const zhWords = new Intl.Segmenter("zh", { granularity: "word" });

export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/** Chinese queries search Chinese articles; everything else searches English ones. */
export function detectLocale(query: string): Locale {
  return hasHan(query) ? "zh" : "en";
}

/** Splits runs of Han characters into words, e.g. "物流没更新" -> ["物流", "没", "更新"]. */
export function segmentHan(run: string): string[] {
  return [...zhWords.segment(run)].filter((s) => s.isWordLike).map((s) => s.segment);
}

/**
 * Text in the form the FTS5 index stores: Chinese words separated by U+200B (Chinese has no
 * spaces, and unicode61 would otherwise index a whole sentence as one token).
 */
export function segmentForIndex(text: string): string {
  return text.replace(HAN_RUN, (run) => segmentHan(run).join(WORD_JOINER));
}

export function stripWordJoiners(text: string): string {
  return text.replaceAll(WORD_JOINER, "");
}

/** Words that ask for help rather than say what about: in support queries they match everything. */
const REQUEST_WORDS = ["help", "assistance", "assist", "need", "want", "know", "please", "pls", "tell", "show", "info", "information", "hi", "hello", "hey", "thanks", "thank", "ur", "u", "im", "i'm", "dont", "don't", "would", "like", "wanna", "gotta"];
const STOPWORDS = [...eng, ...zho, ...REQUEST_WORDS];

/** Lower-cased search terms of a query, stop words removed (unless nothing else is left). */
export function queryTerms(query: string): string[] {
  const raw: string[] = [];
  for (const piece of query.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (HAN.test(piece)) {
      piece.replace(HAN_RUN, " $& ").trim().split(/\s+/).forEach((part) => {
        raw.push(...(HAN.test(part) ? segmentHan(part) : [part]));
      });
    } else {
      raw.push(piece);
    }
  }
  const kept = removeStopwords(raw, STOPWORDS);
  return kept.length ? kept : raw;
}

/** Marker characters engines put around matches; turned into <mark> after HTML-escaping. */
export const HIGHLIGHT_START = "\u0001";
export const HIGHLIGHT_END = "\u0002";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** Escapes engine output and turns highlight markers into <mark>: safe to render as HTML. */
export function highlightToHtml(marked: string): string {
  return escapeHtml(stripWordJoiners(marked))
    .replaceAll(HIGHLIGHT_START, "<mark>")
    .replaceAll(HIGHLIGHT_END, "</mark>")
    .replace(/\s+/g, " ")
    .trim();
}

export function stripHighlight(marked: string): string {
  return stripWordJoiners(marked).replaceAll(HIGHLIGHT_START, "").replaceAll(HIGHLIGHT_END, "");
}

