import { describe, expect, it } from "vitest";
import { markdownToPlainText, markdownToSections, renderMarkdown } from "./markdown.server";

describe("renderMarkdown", () => {
  it("renders Markdown to HTML", () => {
    const html = renderMarkdown("## Steps\n\n1. Open **Account**\n2. Choose *Orders*\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    expect(html).toContain('<h2 id="steps">Steps</h2>');
    expect(html).toContain("<strong>Account</strong>");
    expect(html).toContain("<table>");
  });

  it("wraps each table in a focusable box that scrolls sideways on a narrow screen", () => {
    const html = renderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |\n\ntext\n\n<table onclick=\"x()\"><tr><td>raw</td></tr></table>");
    expect(html.match(/<div class="table-scroll" tabindex="0"><table>/g)).toHaveLength(2);
    expect(html.match(/<\/table><\/div>/g)).toHaveLength(2);
    expect(html).not.toContain("onclick");
  });

  it.each([
    ["<script>alert(1)</script>Hi", "<script"],
    ['<img src="x" onerror="alert(1)">', "onerror"],
    ['<a href="javascript:alert(1)">x</a>', "javascript:"],
    ["[click](javascript:alert(1))", "javascript:"],
    ['<div onclick="steal()">x</div>', "onclick"],
    ['<iframe src="https://evil.example"></iframe>', "<iframe"],
    ['<svg><script>alert(1)</script></svg>', "<script"],
    ["<style>body{display:none}</style>", "<style"],
  ])("removes dangerous markup from %s", (markdown, forbidden) => {
    expect(renderMarkdown(markdown).toLowerCase()).not.toContain(forbidden);
  });

  it("keeps safe links and marks external ones noopener", () => {
    const html = renderMarkdown("[Help](https://voltaro.example/help) and [mail](mailto:help@voltaro.example)");
    expect(html).toContain('href="https://voltaro.example/help"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).toContain('href="mailto:help@voltaro.example"');
  });
});

describe("markdownToSections", () => {
  it("splits at headings, drops a leading H1 and strips Markdown", () => {
    const sections = markdownToSections(
      "# Title\n\nIntro with **bold** and `code` & more.\n\n## First\n\n- one\n- two\n\n### Deeper\n\nText [link](https://x.example).",
    );
    expect(sections).toEqual([
      { heading: "", text: "Intro with bold and code & more." },
      { heading: "First", text: "one\ntwo" },
      { heading: "Deeper", text: "Text link." },
    ]);
  });

  it("includes table cells and ignores raw HTML", () => {
    const text = markdownToPlainText("| Option | Days |\n|---|---|\n| Express | 1–2 |\n\n<div>hidden</div>");
    expect(text).toContain("Express | 1–2");
    expect(text).not.toContain("hidden");
  });

  it("returns nothing for a body without text", () => {
    expect(markdownToSections("   \n\n---\n")).toEqual([]);
  });
});
