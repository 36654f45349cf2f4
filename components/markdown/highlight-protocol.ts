import type { HighlightResult } from "streamdown";

/** What the page asks the highlight worker (highlight.worker.ts). */
export type HighlightRequest = {
  id: number;
  code: string;
  /** The fence's info word, as written ("py", "TypeScript"). */
  language: string;
  /** Shiki theme names: light, dark. */
  themes: [string, string];
};

/** The worker's answer: the tokens, or null when highlighting failed (the code stays plain). */
export type HighlightReply = { id: number; result: HighlightResult | null };
