import "server-only";

/*
 * What one shared page may cost, for the whole page rather than each message: the page is built
 * from model output and imported files, which decide its size. Markdown is typeset while the
 * page's markdown budget (an estimate of its cost, source length and bytes) lasts, math while its
 * math budget lasts; past them, texts show as plain (escaped) text. Past the page's byte budget,
 * texts are cut and the remaining messages are left out, with a note that "Continue in
 * playground" copies them all.
 *
 * The markdown budget counts an estimate, not the clock, so that a page is the same whoever
 * builds it and however busy the machine is: the page is built once and kept.
 */

export const PAGE_LIMITS = {
  /** Bytes of HTML for the messages; the head, header and one message's frame come on top. */
  bytes: 1_500_000,
  /** What typesetting the page's markdown may cost, in units of `markdownCost` (about µs). */
  markdownCost: 200_000,
  /** No text longer than this is typeset (its cost is bounded before it starts). */
  markdownText: 7_500,
  /** Typeset HTML can be ~12 times its source (links, lists); a text is typeset only if that fits. */
  markdownExpansion: 12,
  /** Characters of math typeset on the page (each formula at most MATH_LIMITS.node). */
  math: 10_000,
} as const;

/**
 * What typesetting `text` costs, in about µs on one core: per character, more per markup
 * character, most per line. Fitted on the costliest kinds of markdown (nested quotes and lists,
 * tables, footnotes, setext headings, emphasis: 10-20 µs a character, against 3 for prose) so
 * that no kind costs much more than its estimate (`npm run bench -- share-worst` checks a page).
 */
export function markdownCost(text: string): number {
  let markup = 0;
  let lines = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) lines++;
    else if (MARKUP.has(c)) markup++;
  }
  return 3 * text.length + 15 * markup + 150 * lines;
}

const MARKUP = new Set(Array.from("*_[]|>-#$`~!^:=", (c) => c.charCodeAt(0)));

export type PageBudget = {
  /** Bytes of message HTML still allowed. */
  bytes: number;
  /** Characters of math still allowed. */
  math: number;
  /** Cost of markdown typesetting still allowed (units of `markdownCost`). */
  markdownCost: number;
};

export function createPageBudget(
  limits: Partial<Record<keyof typeof PAGE_LIMITS, number>> = {},
): PageBudget {
  const all = { ...PAGE_LIMITS, ...limits };
  return { bytes: all.bytes, math: all.math, markdownCost: all.markdownCost };
}

/**
 * Whether a text may be typeset as markdown within what is left of the page's budget; if so, its
 * cost is taken from the budget.
 */
export function takeTypesetting(budget: PageBudget, text: string): boolean {
  if (text.length > PAGE_LIMITS.markdownText) return false;
  if (text.length * PAGE_LIMITS.markdownExpansion > budget.bytes) return false;
  const cost = markdownCost(text);
  if (cost > budget.markdownCost) return false;
  budget.markdownCost -= cost;
  return true;
}

/** An upper bound of the bytes of `text` as escaped HTML text (UTF-8; `<` and `&` as `&#x3C;`). */
export function htmlTextBytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3c || c === 0x26) bytes += 6;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    // A surrogate pair is 4 bytes in UTF-8: 2 for each half.
    else if (c >= 0xd800 && c <= 0xdfff) bytes += 2;
    else bytes += 3;
  }
  return bytes;
}

/** The longest start of `text` whose escaped HTML fits in `bytes`, never inside a surrogate pair. */
export function cutToBytes(text: string, bytes: number): string {
  if (htmlTextBytes(text) <= bytes) return text;
  let used = 0;
  let end = 0;
  for (; end < text.length; end++) {
    used += htmlTextBytes(text[end]!);
    if (used > bytes) break;
  }
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}
