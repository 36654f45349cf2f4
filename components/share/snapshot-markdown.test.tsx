import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TEXT_PIECE_LENGTH } from "@/lib/markdown";
import { renderMarkdown } from "./snapshot-markdown";

const render = (markdown: string) => renderToString(renderMarkdown(markdown));

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

describe("snapshot markdown: the untrusted-output rules", () => {
  it("shows raw HTML as the characters the model wrote", () => {
    const html = render('<img src=x onerror="alert(1)"> and <script>window.__pwned=1</script>');
    expect(html).not.toMatch(/<img|<script/i);
    expect(visibleText(html)).toContain('<img src=x onerror="alert(1)">');
    expect(visibleText(html)).toContain("<script>window.__pwned=1</script>");
  });

  it("links only to http(s), mailto and in-page anchors, in a new tab without referrer", () => {
    const html = render(
      "[web](https://docs.example/a) [js](javascript:alert(1)) [data](data:text/html,x) [mail](mailto:a@b.example)",
    );
    expect(html).toMatch(
      /<a href="https:\/\/docs\.example\/a" target="_blank" rel="noopener noreferrer nofollow"[^>]*>web<\/a>/,
    );
    expect(html).toContain('href="mailto:a@b.example"');
    expect(html).not.toMatch(/javascript:|data:text/);
    expect(visibleText(html)).toContain("js");
  });

  it("never loads an image: it offers a link instead", () => {
    const html = render("![a tracker](https://tracker.example/pixel.gif)");
    expect(html).not.toMatch(/<img/i);
    expect(visibleText(html)).toContain("Image not loaded: a tracker");
    expect(html).toContain('href="https://tracker.example/pixel.gif"');
  });

  it("keeps footnotes as in-page anchors", () => {
    const html = render("Claim[^1].\n\n[^1]: Source.");
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^#[\w-]+$/);
  });
});

describe("snapshot markdown: math, code and tables", () => {
  it("typesets ordinary math and shows oversized math as its source", () => {
    expect(render("Euler: $$e^{i\\pi} + 1 = 0$$")).toContain('class="katex');
    const row = Array.from({ length: 40 }, (_, j) => `a_{${j}}`).join(" & ");
    const big = `$$\n\\begin{pmatrix}\n${Array(40).fill(row).join(" \\\\\n")}\n\\end{pmatrix}\n$$`;
    const html = render(big);
    expect(html).not.toContain('class="katex');
    expect(visibleText(html)).toContain("a_{39}");
  });

  it("renders a code block whole, with its language and buttons to copy and download it", () => {
    const html = render("```ts\nconst x = 1 < 2;\n```");
    expect(html).toContain('aria-label="Copy code"');
    expect(html).toContain('aria-label="Download code"');
    expect(html).toMatch(/<code class="[^"]*language-ts[^"]*">const x = 1 &lt; 2;\n<\/code>/);
  });

  it("renders a table with buttons to copy and download it", () => {
    const html = render("| a | b |\n| - | - |\n| 1 | 2 |");
    expect(html).toMatch(/<table[^>]*>/);
    expect(html).toContain('aria-label="Copy table"');
    expect(html).toContain('aria-label="Download table"');
  });

  it("cuts a very long text into pieces the browser's parser keeps whole", () => {
    const line = `Start:${"0123456789abcdef".repeat(12_500)}:end`;
    const html = render(line);
    expect(visibleText(html)).toContain(line);
    const longestRun = Math.max(...html.split(/<[^>]*>/).map((run) => run.length));
    expect(longestRun).toBeLessThanOrEqual(TEXT_PIECE_LENGTH);
  });
});
