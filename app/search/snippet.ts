import { escapeHtml, queryTerms } from "./text";

const EXCERPT_CHARS = 220;

/**
 * An HTML-safe excerpt for a result that matched by meaning rather than by words: the start of the
 * best passage, with any query words it does contain marked.
 */
export function excerptHtml(text: string, query: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const cut = flat.length > EXCERPT_CHARS ? `${flat.slice(0, flat.lastIndexOf(" ", EXCERPT_CHARS) > 0 ? flat.lastIndexOf(" ", EXCERPT_CHARS) : EXCERPT_CHARS)}…` : flat;
  const terms = queryTerms(query).filter((t) => t.length >= 3 && /^[\p{L}\p{N}]+$/u.test(t));
  const escaped = escapeHtml(cut);
  if (!terms.length) return escaped;
  const pattern = new RegExp(`\\b(${terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\w*`, "giu");
  return escaped.replace(pattern, "<mark>$&</mark>");
}
