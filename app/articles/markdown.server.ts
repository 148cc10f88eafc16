import { Marked, type Token, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, async: false });

/** "Where is my package?" -> "where-is-my-package": an anchor people can link to (CJK kept). */
export function headingAnchor(text: string): string {
  return text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu)?.join("-").slice(0, 80) || "section";
}

/** A renderer whose `##` and `###` headings carry unique ids, for the article's table of contents. */
function markedWithAnchors(): Marked {
  const seen = new Map<string, number>();
  return new Marked({
    gfm: true,
    async: false,
    renderer: {
      heading({ tokens, depth }) {
        const inner = this.parser.parseInline(tokens);
        if (depth < 2 || depth > 3) return `<h${depth}>${inner}</h${depth}>\n`;
        const base = headingAnchor(inlineText(tokens));
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        return `<h${depth} id="${n === 1 ? base : `${base}-${n}`}">${inner}</h${depth}>\n`;
      },
    },
  });
}

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((tag) => tag !== "iframe"),
    "img",
    "del",
    "input",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel", "target"],
    img: ["src", "alt", "title", "width", "height"],
    h2: ["id"],
    h3: ["id"],
    th: ["align"],
    td: ["align"],
    input: ["type", "checked", "disabled"],
    ol: ["start"],
    code: ["class"],
  },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesByTag: { img: ["https", "data"] },
  allowProtocolRelative: false,
  transformTags: {
    // External links open safely; only task-list checkboxes survive as inputs.
    a: (tagName, attribs) =>
      /^https?:/i.test(attribs.href ?? "")
        ? { tagName, attribs: { ...attribs, rel: "noopener noreferrer nofollow" } }
        : { tagName, attribs },
    input: (tagName, attribs) =>
      attribs.type === "checkbox"
        ? { tagName, attribs: { type: "checkbox", disabled: "", ...(attribs.checked !== undefined ? { checked: "" } : {}) } }
        : { tagName: "span", attribs: {} },
  },
};

/** Markdown to HTML that is safe to render: no script, no event handler, no javascript: URL. */
export function renderMarkdown(markdown: string): string {
  const html = markedWithAnchors().parse(markdown) as string;
  return scrollableTables(sanitizeHtml(html, SANITIZE_OPTIONS));
}

/**
 * Wide tables scroll inside their own box instead of widening a phone's page; the box takes focus
 * so keyboard users can scroll it. Runs after sanitising, on tables that carry no attributes.
 */
function scrollableTables(html: string): string {
  return html.replace(/<table>/g, '<div class="table-scroll" tabindex="0"><table>').replace(/<\/table>/g, "</table></div>");
}

/** The `##` headings of rendered article HTML, as a table of contents. */
export function tableOfContents(html: string): { id: string; text: string }[] {
  return [...html.matchAll(/<h2 id="([^"]+)">([\s\S]*?)<\/h2>/g)].map((m) => ({
    id: m[1]!,
    text: sanitizeHtml(m[2]!, { allowedTags: [], allowedAttributes: {} }).trim(),
  }));
}

export interface Section {
  /** The `##`/`###` heading the text sits under; empty for text before the first heading. */
  heading: string;
  text: string;
}

/** Splits a Markdown body into plain-text sections at its headings (levels 2-6). */
export function markdownToSections(markdown: string): Section[] {
  const sections: Section[] = [];
  let current: { heading: string; blocks: string[] } = { heading: "", blocks: [] };
  const flush = () => {
    const text = current.blocks.join("\n").trim();
    if (text) sections.push({ heading: current.heading, text });
  };
  for (const token of marked.lexer(markdown)) {
    if (token.type === "heading") {
      const heading = inlineText((token as Tokens.Heading).tokens).trim();
      if ((token as Tokens.Heading).depth === 1 && sections.length === 0 && !current.blocks.length) {
        continue; // a leading H1 repeats the title
      }
      flush();
      current = { heading, blocks: [] };
      continue;
    }
    const text = blockText(token).trim();
    if (text) current.blocks.push(text);
  }
  flush();
  return sections;
}

export function markdownToPlainText(markdown: string): string {
  return markdownToSections(markdown)
    .map((section) => (section.heading ? `${section.heading}\n${section.text}` : section.text))
    .join("\n\n");
}

function blockText(token: Token): string {
  switch (token.type) {
    case "space":
    case "hr":
    case "html":
    case "def":
      return "";
    case "code":
      return (token as Tokens.Code).text;
    case "list":
      return (token as Tokens.List).items
        .map((item) => item.tokens.map(blockText).join(" ").trim())
        .join("\n");
    case "table": {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => inlineText(c.tokens)).join(" | ");
      return [row(table.header), ...table.rows.map(row)].join("\n");
    }
    case "blockquote":
      return (token as Tokens.Blockquote).tokens.map(blockText).join("\n");
    default:
      if ("tokens" in token && Array.isArray(token.tokens)) return inlineText(token.tokens);
      return "text" in token && typeof token.text === "string" ? token.text : "";
  }
}

function inlineText(tokens: Token[] | undefined): string {
  if (!tokens) return "";
  return tokens
    .map((token) => {
      if (token.type === "html") return "";
      if (token.type === "br") return "\n";
      if ("tokens" in token && Array.isArray(token.tokens) && token.tokens.length) {
        return inlineText(token.tokens);
      }
      return "text" in token && typeof token.text === "string" ? token.text : "";
    })
    .join("");
}
