import "server-only";

/*
 * What one shared page may cost, for the whole page rather than each message: the page is built
 * from model output and imported files, which decide its size. Markdown is typeset while the
 * page's markdown budget (time, source and bytes) lasts, math while its math budget lasts; past
 * them, texts show as plain (escaped) text. Past the page's byte budget, texts are cut and the
 * remaining messages are left out, with a note that "Continue in playground" copies them all.
 */

export const PAGE_LIMITS = {
  /** Bytes of HTML for the messages; the head, header and one message's frame come on top. */
  bytes: 1_500_000,
  /** Markdown is typeset while the page has spent less than this on it (ms of CPU, wall clock). */
  markdownMs: 150,
  /**
   * No text longer than this is typeset. The time budget is checked before each text, so a text
   * may overrun it by its own cost: at 40,000 characters a worst-case page took 700 ms and more
   * (see `npm run bench -- share-worst`).
   */
  markdownText: 7_500,
  /**
   * What typesetting a character may cost at worst (ms; math, tables and footnotes measured
   * 10-20 µs): a text is typeset only if that much of the page's time is left.
   */
  markdownMsPerChar: 0.02,
  /** Typeset HTML can be ~12 times its source (links, lists); a text is typeset only if that fits. */
  markdownExpansion: 12,
  /** Characters of math typeset on the page (each formula at most MATH_LIMITS.node). */
  math: 10_000,
} as const;

export type PageBudget = {
  /** Bytes of message HTML still allowed. */
  bytes: number;
  /** Characters of math still allowed. */
  math: number;
  /** Ms of markdown typesetting still allowed. */
  markdownMs: number;
  /** The clock the markdown time is measured with. */
  now: () => number;
};

export function createPageBudget(
  limits: Partial<Record<keyof typeof PAGE_LIMITS, number>> = {},
  now: () => number = () => performance.now(),
): PageBudget {
  const all = { ...PAGE_LIMITS, ...limits };
  return { bytes: all.bytes, math: all.math, markdownMs: all.markdownMs, now };
}

/** Whether a text may be typeset as markdown within what is left of the page's budget. */
export function mayTypeset(budget: PageBudget, text: string): boolean {
  return (
    budget.markdownMs > 0 &&
    text.length <= PAGE_LIMITS.markdownText &&
    text.length * PAGE_LIMITS.markdownMsPerChar <= budget.markdownMs &&
    text.length * PAGE_LIMITS.markdownExpansion <= budget.bytes
  );
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
