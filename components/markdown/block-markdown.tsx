"use client";

import { memo, startTransition, useEffect, useRef, useState, type ReactNode } from "react";
import { MATH_LIMITS, splitLongText } from "@/lib/markdown";
import { cn } from "@/lib/utils";
import { splitBlocks } from "./blocks";
import { Markdown, type MarkdownProps } from "./markdown";
import { useNearNow, useNearViewport } from "./use-near-viewport";
import { whenIdle } from "./when-idle";

const PLAIN = "text-sm leading-relaxed whitespace-pre-wrap break-words";

/** Text as it is, wrapped: what a block far from the view shows, at almost no cost. */
function Plain({ text }: { text: string }) {
  return <div className={PLAIN}>{splitLongText(text.trimEnd())}</div>;
}

/**
 * A finished block renders in full (code highlighting, typeset math) once, and never again (it
 * is memoised on its text).
 * - `eager`: in full at once (BlockMarkdown without deferOffscreen).
 * - `written`: it was on view while it was written. It stays as it was shown then (markdown
 *   without highlighting or math) until the page is idle, then renders in full: four columns
 *   streaming at once leave little idle time, and typesetting every block as it ends is most of
 *   what made their frames long.
 * - Neither: its plain text until it comes near the view, then in full.
 * Both count when the block first renders only; a change of them alone does not render it again.
 */
export const FinishedBlock = memo(
  function FinishedBlock({
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
    const near = useNearViewport(ref, eager || written);
    const [full, setFull] = useState(!written);
    useEffect(
      () => (full ? undefined : whenIdle(() => startTransition(() => setFull(true)))),
      [full],
    );
    return (
      <div ref={ref} data-finished-block="">
        {!near ? (
          <Plain text={text} />
        ) : full ? (
          <Markdown mathBudget={mathBudget}>{text}</Markdown>
        ) : (
          <Markdown highlight={false}>{text}</Markdown>
        )}
      </div>
    );
  },
  (before, after) => before.text === after.text && before.mathBudget === after.mathBudget,
);

/**
 * The block still being written: repaired and re-rendered on every update, so it stays cheap,
 * without code highlighting or typeset math until the block is finished. Far from the view
 * (`near` false) it is plain text.
 */
const TailBlock = memo(function TailBlock({ text, near }: { text: string; near: boolean }) {
  return near ? (
    <Markdown streaming highlight={false}>
      {text}
    </Markdown>
  ) : (
    <Plain text={text} />
  );
});

/**
 * Finished blocks in groups of GROUP_SIZE, each marked `data-block-group`: "full" where a page
 * may skip it while it is off screen (`content-visibility: auto`), "filling" while blocks still
 * join it. Per group rather than per block, because the browser visits every such element on
 * every frame (hit testing, paint, its own intersection checks), and a long stream has thousands
 * of blocks. Every group has `contain-intrinsic-size: auto`, which does nothing until it is
 * skipped, so that the browser remembers its size while it fills: a group that became skippable
 * without a remembered size would take the placeholder size for its first frame, and the
 * reader's view, if it was in the group, would jump. A group renders again only when a block
 * joins it (it is memoised on its blocks), so a full one never does.
 */
const GROUP_SIZE = 16;

const BlockGroup = memo(
  function BlockGroup({
    from,
    blocks,
    budgets,
    eager,
    written,
  }: {
    from: number;
    blocks: string[];
    budgets: number[];
    eager: boolean;
    /** The index of the block that was on view while it was written, or -1. */
    written: number;
  }) {
    return (
      <div
        className="flex flex-col gap-3 [contain-intrinsic-size:auto_48rem]"
        data-block-group={blocks.length === GROUP_SIZE ? "full" : "filling"}
      >
        {blocks.map((text, i) => (
          <FinishedBlock
            key={from + i}
            text={text}
            eager={eager}
            written={from + i === written}
            mathBudget={budgets[i] ?? 0}
          />
        ))}
      </div>
    );
  },
  // FinishedBlock reads `eager` and `written` on its first render only (see there): a change of
  // them alone renders nothing anew, and a new block comes with a change of `blocks`.
  (before, after) =>
    before.from === after.from &&
    before.blocks.length === after.blocks.length &&
    before.blocks.every((text, i) => text === after.blocks[i]) &&
    before.budgets.every((budget, i) => budget === after.budgets[i]),
);

/**
 * Markdown rendered block by block, so that a long stream costs work per new text only.
 *
 * With deferOffscreen (every turn of the playground and of Compare), markdown is rendered only
 * near the view, where someone can read it: the block being written is plain text while it is
 * far from the view, and a block finished there stays plain until it comes near. A block
 * finished near the view keeps the look it was written in, so nothing on screen flickers, and
 * is typeset when the page is idle. A stream of thousands of tokens a second (one turn, or four
 * columns) then parses what is in view, not everything that arrives.
 */
export function BlockMarkdown({
  children,
  streaming = false,
  className,
  deferOffscreen = false,
}: MarkdownProps) {
  // The previous cut is kept, so that the next one only cuts what arrived since (see splitBlocks).
  // `shownTail`: the block that was the tail before this text. Blocks after it arrived finished
  // (several at one update) and were never on view while written: they start as plain text.
  const [state, setState] = useState(() => ({ split: splitBlocks(children), shownTail: -1 }));
  let current = state;
  if (state.split.text !== children) {
    current = {
      split: splitBlocks(children, state.split),
      shownTail: state.split.blocks.length - 1,
    };
    setState(current);
  }
  const { split, shownTail } = current;
  const { blocks, math } = split;
  const tailRef = useRef<HTMLDivElement>(null);
  const tailNear = useNearNow(tailRef, streaming && deferOffscreen);
  // The message's math budget is shared by its blocks, in order.
  const budgets: number[] = [];
  for (let i = 0, left = MATH_LIMITS.total; i < blocks.length; left -= math[i] ?? 0, i++)
    budgets.push(left);
  const finished = streaming ? blocks.length - 1 : blocks.length;
  const groups: ReactNode[] = [];
  for (let from = 0; from < finished; from += GROUP_SIZE) {
    const to = Math.min(from + GROUP_SIZE, finished);
    groups.push(
      <BlockGroup
        key={from}
        from={from}
        blocks={blocks.slice(from, to)}
        budgets={budgets.slice(from, to)}
        eager={!deferOffscreen}
        written={deferOffscreen && tailNear ? shownTail : -1}
      />,
    );
  }
  const tail = streaming ? (blocks[blocks.length - 1] ?? "") : undefined;
  return (
    <div className={cn("flex min-w-0 flex-col gap-3", className)}>
      {groups}
      {tail === undefined ? null : deferOffscreen ? (
        // One element for every tail, so that it stays observed as blocks finish above it.
        <div ref={tailRef}>
          <TailBlock text={tail} near={tailNear} />
        </div>
      ) : (
        <TailBlock text={tail} near />
      )}
    </div>
  );
}
