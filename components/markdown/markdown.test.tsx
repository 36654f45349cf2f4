import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./markdown";

const render = (markdown: string, streaming: boolean) =>
  renderToString(<Markdown streaming={streaming}>{markdown}</Markdown>);

/** The text a reader sees: tags dropped, entities decoded, React's text separators gone. */
const visibleText = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");

/** Answers that end, or pause, inside a link the model never closed. */
const unclosedLinks = [
  "see [the docs",
  "see [the docs\n\nNext paragraph.",
  "- item [one\n- item two",
  "see [the docs](",
  "see [the docs `code` and more",
  "see [ok](https://ok.example) and [the docs",
];

describe("Markdown: an unclosed link", () => {
  it.each(unclosedLinks)("leaves no placeholder in a finished answer: %j", (markdown) => {
    const html = render(markdown, false);
    expect(html).not.toContain("streamdown:");
    expect(html).not.toContain("[blocked]");
    // Finished answers are not repaired: the bracket stays the character the model wrote.
    expect(visibleText(html)).toContain("[");
  });

  it.each(unclosedLinks)("leaves no placeholder while streaming: %j", (markdown) => {
    const html = render(markdown, true);
    expect(html).not.toContain("streamdown:");
    expect(html).not.toContain("[blocked]");
  });

  it("shows the words of a half-written link while streaming, not as a link", () => {
    const html = render("see [the docs", true);
    expect(visibleText(html)).toContain("see the docs");
    expect(html).not.toContain("<a ");
  });
});

describe("Markdown: incomplete-markdown repair", () => {
  it("repairs unclosed emphasis while streaming, so a half-written answer reads well", () => {
    const html = render("some **bold", true);
    expect(html).toMatch(/<span[^>]*data-streamdown="strong"[^>]*>bold<\/span>/);
    expect(visibleText(html)).not.toContain("**");
  });

  it("does not repair a finished answer: what the model wrote is what shows", () => {
    const html = render("some **bold", false);
    expect(html).not.toContain('data-streamdown="strong"');
    expect(visibleText(html)).toContain("some **bold");
  });
});

describe("Markdown: finished answers keep the untrusted-output rules", () => {
  it("renders closed links through the safe link component", () => {
    const html = render("see [the docs](https://docs.example/a)", false);
    expect(html).toMatch(
      /<a href="https:\/\/docs\.example\/a" target="_blank" rel="noopener noreferrer nofollow"[^>]*>the docs<\/a>/,
    );
  });

  it("shows raw HTML as text and links nothing but http(s) and mailto", () => {
    const html = render('<img src=x onerror="alert(1)"> and [x](javascript:alert(1))', false);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain("javascript:");
    expect(visibleText(html)).toContain('<img src=x onerror="alert(1)">');
  });
});

describe("Markdown: code blocks", () => {
  it("numbers no code lines: a CSS line counter costs the whole page a recount per line written", () => {
    for (const highlight of [true, false]) {
      const html = renderToString(
        <Markdown highlight={highlight}>{"```python\nx = 1\nprint(x)\n```"}</Markdown>,
      );
      expect(visibleText(html)).toContain("print(x)");
      expect(html).not.toMatch(/counter/);
    }
  });
});

describe("Markdown: math", () => {
  const matrix = (n: number) =>
    `$$\n\\begin{pmatrix}\n${Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => `a_{${i}${j}}`).join(" & "),
    ).join(" \\\\\n")}\n\\end{pmatrix}\n$$`;

  it("typesets ordinary math", () => {
    const html = render("Euler: $$e^{i\\pi} + 1 = 0$$", false);
    expect(html).toContain('class="katex');
  });

  it("typesets display math as a block, ```math fences too, each formula once", () => {
    const html = render("$$\n\\sqrt{a^2+b^2}\n$$\n\nand\n\n```math\nx^2\n```", false);
    expect(html.match(/class="katex-display"/g)).toHaveLength(2);
    // No code block is left behind for either.
    expect(html).not.toContain("<pre");
    // Inline math in running text stays inline.
    const inline = render("Area $$\\pi r^2$$ of a circle.", false);
    expect(inline).toContain('class="katex"');
    expect(inline).not.toContain("katex-display");
    expect(visibleText(inline)).toContain("Area");
  });

  it("KaTeX's HTML goes in as it is, so what it typesets must not smuggle markup or links", () => {
    const html = render(
      "$$\\text{<img src=x onerror=alert(1)>}$$ $$\\href{javascript:alert(1)}{click}$$ $$\\htmlClass{evil}{x}$$",
      false,
    );
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain("&lt;img");
    // \href and \htmlClass are refused (trust is off): their names show in the error colour, and
    // their source only as the formula's text annotation.
    expect(html).not.toMatch(/<a[\s>]|href=/);
    expect(html).not.toMatch(/class="[^"]*evil/);
    expect(html).toContain('mathcolor="var(--muted-foreground)"');
  });

  it("a formula KaTeX cannot parse shows its source, marked as an error", () => {
    const html = render("Broken: $$\\frac{1}{$$ here", false);
    expect(html).toContain("katex-error");
    expect(visibleText(html)).toContain("\\frac{1}{");
  });

  it("shows oversized math as its LaTeX source instead of typesetting it", () => {
    const source = matrix(40);
    expect(source.length).toBeGreaterThan(10_000);
    const html = render(source, false);
    expect(html).not.toContain('class="katex');
    expect(visibleText(html)).toContain("a_{3939}");
    // The typeset form of this matrix was over a megabyte of HTML.
    expect(html.length).toBeLessThan(200_000);
  });
});
