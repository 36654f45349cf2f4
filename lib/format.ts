/** Display formatting for the usage line and panes. Pure, locale-stable (en-US). */

const integer = new Intl.NumberFormat("en-US");

export function formatTokens(n: number | undefined): string | undefined {
  return n === undefined ? undefined : integer.format(n);
}

export function formatDuration(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  // Pick the unit by the rounded value, so that 119.6 s reads "2 min 0 s", not "1 min 60 s".
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.round(ms / 100) < 600) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)} min ${total % 60} s`;
}

export function formatRate(tokensPerSecond: number | undefined): string | undefined {
  if (tokensPerSecond === undefined || !Number.isFinite(tokensPerSecond)) return undefined;
  return `${tokensPerSecond >= 100 ? Math.round(tokensPerSecond) : tokensPerSecond.toFixed(1)} tok/s`;
}

export function formatCost(usd: number | undefined): string | undefined {
  if (usd === undefined) return undefined;
  if (usd === 0) return "$0";
  if (usd < 0.01) return `$${usd.toPrecision(2)}`;
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/** A rough token estimate for text still streaming (about four characters a token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * The reasoning pane's summary: its tokens (counted by the upstream, or estimated from the text
 * with "≈") and how long the model reasoned, e.g. "1,204 tokens · 3.2 s".
 */
export function reasoningSummary(
  reasoning: string,
  reasoningTokens: number | undefined,
  reasoningMs: number | undefined,
): string {
  const tokens =
    reasoningTokens !== undefined
      ? `${formatTokens(reasoningTokens)} tokens`
      : reasoning
        ? `≈${formatTokens(estimateTokens(reasoning))} tokens`
        : undefined;
  return [tokens, formatDuration(reasoningMs)].filter(Boolean).join(" · ");
}
