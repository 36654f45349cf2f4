"use client";

import { memo, useRef, useState } from "react";
import { MATH_LIMITS, splitLongText } from "@/lib/markdown";
import { cn } from "@/lib/utils";
import { splitBlocks } from "./blocks";
import { Markdown, type MarkdownProps } from "./markdown";
import { useNearViewport } from "./use-near-viewport";

const PLAIN = "text-sm leading-relaxed whitespace-pre-wrap break-words";

/**
 * A finished block renders once, with code highlighting and math, and never again (it is
 * memoised on its text). With deferOffscreen, it renders so only once near the viewport; until
 * then a block of a text opened from history is its plain text, which costs almost
 * nothing, and a block that was just written stays as it was shown while written (markdown
 * without highlighting or math), so that nothing on screen changes until it is upgraded.
 */
const FinishedBlock = memo(function FinishedBlock({
  text,
  eager,
  written,
  mathBudget,
}: {
  text: string;
  eager: boolean;
  written: boolean;
  mathBudget: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const near = useNearViewport(ref, eager);
  return (
    <div ref={ref} data-finished-block="">
      {near ? (
        <Markdown mathBudget={mathBudget}>{text}</Markdown>
      ) : written ? (
        <Markdown highlight={false}>{text}</Markdown>
      ) : (
        <div className={PLAIN}>{splitLongText(text.trimEnd())}</div>
      )}
    </div>
  );
});

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
  // `streamed`: blocks that appear while this text streams were on screen as they were written.
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
            eager={!deferOffscreen}
            written={streamed}
            mathBudget={budgets[i] ?? 0}
          />
        );
      })}
    </div>
  );
}
