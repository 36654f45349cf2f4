import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BlockMarkdown } from "./block-markdown";

// Three blocks: two finished (one with math and bold), and the one still being written.
const TEXT = "Energy is **conserved**: $$E = mc^2$$.\n\nSecond paragraph.\n\nStill being wri";

const render = (streaming: boolean, deferOffscreen: boolean) =>
  renderToString(
    <BlockMarkdown streaming={streaming} deferOffscreen={deferOffscreen}>
      {TEXT}
    </BlockMarkdown>,
  );

describe("BlockMarkdown: finished blocks", () => {
  it("render with math at once where nothing is deferred (the playground's live turn)", () => {
    const html = render(true, false);
    expect(html).toContain('class="katex"');
    expect(html).toContain('data-streamdown="strong"');
  });

  it("just written and deferred (a Compare column), stay as written until near the viewport", () => {
    const html = render(true, true);
    // Markdown as the block was shown while written: bold is bold, math is not typeset yet.
    expect(html).toContain('data-streamdown="strong"');
    expect(html).not.toContain('class="katex"');
    expect(html).not.toContain("**conserved**");
  });

  it("opened from history and deferred, are plain text until near the viewport", () => {
    const html = render(false, true);
    expect(html).toContain("**conserved**");
    expect(html).not.toContain('data-streamdown="strong"');
  });
});
