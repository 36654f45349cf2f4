import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BlockMarkdown, FinishedBlock } from "./block-markdown";

// Three blocks: two finished (one with math and bold), and the one still being written.
const TEXT = "Energy is **conserved**: $$E = mc^2$$.\n\nSecond paragraph.\n\nStill **being** wri";
const BLOCK = "Energy is **conserved**: $$E = mc^2$$.";

const render = (streaming: boolean, deferOffscreen: boolean) =>
  renderToString(
    <BlockMarkdown streaming={streaming} deferOffscreen={deferOffscreen}>
      {TEXT}
    </BlockMarkdown>,
  );

const block = (mode: { eager: boolean; written: boolean }) =>
  renderToString(<FinishedBlock text={BLOCK} mathBudget={10_000} {...mode} />);

describe("BlockMarkdown", () => {
  it("renders finished blocks in full at once where nothing is deferred (the playground's live turn)", () => {
    const html = render(true, false);
    expect(html).toContain('class="katex"');
    expect(html).toContain('data-streamdown="strong"');
    // The tail is markdown too: "being" is bold while it is written.
    expect(html.match(/data-streamdown="strong"/g)).toHaveLength(2);
  });

  it("deferred (a Compare column) and not yet seen near the view: plain text, the tail too", () => {
    // Server rendering observes nothing: this is a column far below the fold.
    const html = render(true, true);
    expect(html).toContain("**conserved**");
    expect(html).toContain("Still **being** wri");
    expect(html).not.toContain('data-streamdown="strong"');
    expect(html).not.toContain('class="katex"');
  });

  it("opened from history and deferred: plain text until near the view", () => {
    const html = render(false, true);
    expect(html).toContain("**conserved**");
    expect(html).not.toContain('data-streamdown="strong"');
  });
});

describe("BlockMarkdown's groups", () => {
  // 40 paragraphs, the last still being written: 39 finished, in groups of 16, 16 and 7.
  const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph number ${i}.`);
  const html = (streaming: boolean) =>
    renderToString(
      <BlockMarkdown streaming={streaming} deferOffscreen>
        {paragraphs.join("\n\n")}
      </BlockMarkdown>,
    );
  const groups = (markup: string) =>
    [...markup.matchAll(/<div class="flex flex-col gap-3 [^"]*" data-block-group="(\w+)">/g)].map(
      (m) => m[1],
    );

  it("puts finished blocks in groups of 16, only full ones marked for skipping off screen", () => {
    const markup = html(true);
    expect(groups(markup)).toEqual(["full", "full", "filling"]);
    // Every block once, in order, the tail after the groups.
    const order = [...markup.matchAll(/Paragraph number (\d+)\./g)].map((m) => Number(m[1]));
    expect(order).toEqual(paragraphs.map((_, i) => i));
  });

  it("a finished message: its last block joins the filling group", () => {
    const markup = html(false);
    expect(groups(markup)).toEqual(["full", "full", "filling"]);
    expect(markup.match(/data-finished-block=""/g)).toHaveLength(40);
  });
});

describe("FinishedBlock", () => {
  it("eager: highlighted and typeset at once", () => {
    const html = block({ eager: true, written: false });
    expect(html).toContain('class="katex"');
    expect(html).toContain('data-streamdown="strong"');
  });

  it("written on view: as it was written (markdown, math not typeset) until the page is idle", () => {
    const html = block({ eager: false, written: true });
    expect(html).toContain('data-streamdown="strong"');
    expect(html).not.toContain('class="katex"');
    expect(html).not.toContain("**conserved**");
  });

  it("neither: plain text until near the view", () => {
    const html = block({ eager: false, written: false });
    expect(html).toContain("**conserved**");
    expect(html).not.toContain('data-streamdown="strong"');
  });
});
