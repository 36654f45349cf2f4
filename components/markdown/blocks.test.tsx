import { parseMarkdownIntoBlocks } from "streamdown";
import { describe, expect, it } from "vitest";
import { generateMarkdown } from "@/e2e/fake-upstream/markdown";
import { splitBlocks, type BlockSplit } from "./blocks";

describe("splitBlocks", () => {
  const pieces = generateMarkdown({ tokens: 3_000, seed: 3 });
  const text = pieces.join("");

  it("cut piece by piece, ends with the blocks of a cut of the whole text", () => {
    let split: BlockSplit | undefined;
    let sofar = "";
    for (const piece of pieces) {
      sofar += piece;
      split = splitBlocks(sofar, split);
      expect(split.blocks.join("")).toBe(sofar);
    }
    expect(split?.blocks).toEqual(parseMarkdownIntoBlocks(text));
  });

  it("keeps the settled blocks as they were (same strings, so memoised renders hold)", () => {
    const first = splitBlocks(text.slice(0, 4_000));
    const second = splitBlocks(text.slice(0, 6_000), first);
    const settled = first.blocks.length - 1;
    expect(settled).toBeGreaterThan(3);
    for (let i = 0; i < settled; i++) expect(second.blocks[i]).toBe(first.blocks[i]);
  });

  it("starts again when the text is not a continuation", () => {
    const first = splitBlocks("# One\n\nTwo\n\n");
    const second = splitBlocks("Other\n\ntext", first);
    expect(second.blocks).toEqual(["Other\n\n", "text"]);
  });

  it("keeps a text with footnotes whole, so that references find their definitions", () => {
    const first = splitBlocks("Intro.\n\nA claim[^1].\n\n");
    expect(first.blocks).toEqual(["Intro.\n\nA claim[^1].\n\n"]);
    const second = splitBlocks("Intro.\n\nA claim[^1].\n\nMore.\n\n[^1]: The source.", first);
    expect(second.blocks).toEqual(["Intro.\n\nA claim[^1].\n\nMore.\n\n[^1]: The source."]);
  });

  it("counts each block's math, for the message's math budget", () => {
    const split = splitBlocks("Inline $x^2$ here.\n\n$$\na+b\n$$\n\nNone.");
    expect(split.math).toEqual(["$x^2$".length, "$$\na+b\n$$".length, 0]);
  });

  it("gives one empty block for an empty text", () => {
    expect(splitBlocks("").blocks).toEqual([""]);
  });
});
