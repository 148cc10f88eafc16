import type { Article, Passage } from "~/articles/article-schema";
import { hashText } from "~/articles/passages";

export type UnitKind = "title" | "question" | "passage";

/** One text of an article that gets its own vector; an article's semantic score is its best unit. */
export interface EmbeddingUnit {
  kind: UnitKind;
  /** Passage position for passages, index for questions, 0 for the title. */
  position: number;
  text: string;
  hash: string;
}

/**
 * The texts embedded for an article: its title with tags (what it is about), each customer
 * question written for it (how people ask), and each passage prefixed by title and heading (what it
 * says, in context), so long articles compete passage by passage.
 */
export function embeddingUnits(article: Pick<Article, "title" | "tags" | "questions">, passages: readonly Passage[]): EmbeddingUnit[] {
  const units: Omit<EmbeddingUnit, "hash">[] = [
    { kind: "title", position: 0, text: [article.title, ...article.tags].join(". ") },
    ...article.questions.map((text, position) => ({ kind: "question" as const, position, text })),
    ...passages.map((p) => ({
      kind: "passage" as const,
      position: p.position,
      text: [article.title, p.heading, p.text].filter(Boolean).join(". "),
    })),
  ];
  return units.map((u) => ({ ...u, hash: hashText(u.text) }));
}
