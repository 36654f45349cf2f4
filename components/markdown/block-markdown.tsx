"use client";

import { memo, useRef, useState } from "react";
import { MATH_LIMITS, splitLongText } from "@/lib/markdown";
import { cn } from "@/lib/utils";
import { splitBlocks } from "./blocks";
import { Markdown, type MarkdownProps } from "./markdown";
import { useNearViewport, useWhenIdle } from "./use-near-viewport";

const PLAIN = "text-sm leading-relaxed whitespace-pre-wrap break-words";

/**
 * A finished block renders once, with code highlighting and math, and never again (it is
 * memoised on its text); one finished while its text streams first renders as the tail did, and
 * gets highlighting and math in an idle moment of its own. With deferOffscreen, blocks of a conversation opened from history
 * render when they come near the viewport; until then they are their plain text, which costs
 * almost nothing.
 */
/** `deferRich` counts at mount only: the end of the stream does not render every block again. */
const sameBlock = (a: FinishedBlockProps, b: FinishedBlockProps) =>
  a.text === b.text && a.eager === b.eager && a.mathBudget === b.mathBudget;

type FinishedBlockProps = {
  text: string;
  eager: boolean;
  mathBudget: number;
  /** Finished while the text streams: rendered plainly first, highlighted when idle. */
  deferRich: boolean;
};

const FinishedBlock = memo(function FinishedBlock({
  text,
  eager,
  mathBudget,
  deferRich,
}: FinishedBlockProps) {
  const ref = useRef<HTMLDivElement>(null);
  const near = useNearViewport(ref, eager);
  const rich = useWhenIdle(!deferRich);
  // Off screen, a finished block costs no style, layout or paint (its size is remembered), so a
  // page of several growing texts lays out what is in view, not everything so far.
  return (
    <div ref={ref} className="[contain-intrinsic-size:auto_3rem] [content-visibility:auto]">
      {near && rich ? (
        <Markdown mathBudget={mathBudget}>{text}</Markdown>
      ) : near ? (
        <Markdown highlight={false}>{text}</Markdown>
      ) : (
        <div className={PLAIN}>{splitLongText(text.trimEnd())}</div>
      )}
    </div>
  );
}, sameBlock);

/**
 * The block still being written: repaired and re-rendered on every update, so it stays cheap,
 * without code highlighting or typeset math until the block is finished.
 */
const TailBlock = memo(function TailBlock({ text }: { text: string }) {
  return (
    <Markdown streaming highlight={false}>
      {text}
    </Markdown>
  );
});

/** Markdown rendered block by block, so that a long stream costs work per new text only. */
export function BlockMarkdown({
  children,
  streaming = false,
  className,
  deferOffscreen = false,
}: MarkdownProps) {
  // The previous cut is kept, so that the next one only cuts what arrived since (see splitBlocks).
  // `streamed`: blocks that appear while this text streams are on screen already, render them.
  const [state, setState] = useState(() => ({ split: splitBlocks(children), streamed: streaming }));
  let current = state;
  if (state.split.text !== children || (streaming && !state.streamed)) {
    current = {
      split: state.split.text === children ? state.split : splitBlocks(children, state.split),
      streamed: state.streamed || streaming,
    };
    setState(current);
  }
  const { split, streamed } = current;
  const { blocks, math } = split;
  // The message's math budget is shared by its blocks, in order.
  const budgets: number[] = [];
  for (let i = 0, left = MATH_LIMITS.total; i < blocks.length; left -= math[i] ?? 0, i++)
    budgets.push(left);
  return (
    <div className={cn("flex min-w-0 flex-col gap-3", className)}>
      {blocks.map((block, i) => {
        return streaming && i === blocks.length - 1 ? (
          <TailBlock key={i} text={block} />
        ) : (
          <FinishedBlock
            key={i}
            text={block}
            eager={streamed || !deferOffscreen}
            mathBudget={budgets[i] ?? 0}
            deferRich={streaming}
          />
        );
      })}
    </div>
  );
}
