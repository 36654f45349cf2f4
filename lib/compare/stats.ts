import { formatCost, formatDuration, formatRate, formatTokens } from "@/lib/format";
import type { TurnMetadata } from "@/lib/types";

/**
 * The Comparison table: one row per figure, one column per setting. With several runs a column,
 * a figure is the median with min–max. The best value in a row is marked; other columns show
 * their difference to the first in %.
 */

/** What one finished answer contributes; `verdict` is the structured-output check, when set. */
export type RunFigures = { metadata: TurnMetadata | undefined; verdict?: { valid: boolean } };

export type Summary = { median: number; min: number; max: number; n: number };

type NumericRow = {
  label: string;
  kind: "number";
  read: (m: TurnMetadata) => number | undefined;
  format: (n: number | undefined) => string | undefined;
  /** Which way is better; undefined: no best is marked. */
  better: "lower" | "higher";
};

export const numericRows: NumericRow[] = [
  {
    label: "Reasoning tokens",
    kind: "number",
    read: (m) => m.usage?.reasoningTokens,
    format: formatTokens,
    better: "lower",
  },
  {
    label: "Answer tokens",
    kind: "number",
    read: (m) => m.usage?.answerTokens,
    format: formatTokens,
    better: "lower",
  },
  {
    label: "First reasoning token",
    kind: "number",
    read: (m) => m.firstReasoningMs,
    format: formatDuration,
    better: "lower",
  },
  {
    label: "First answer token",
    kind: "number",
    read: (m) => m.firstAnswerMs,
    format: formatDuration,
    better: "lower",
  },
  {
    label: "Tokens/s",
    kind: "number",
    read: (m) => m.tokensPerSecond,
    format: formatRate,
    better: "higher",
  },
  {
    label: "Total time",
    kind: "number",
    read: (m) => m.totalMs,
    format: formatDuration,
    better: "lower",
  },
  { label: "Cost", kind: "number", read: (m) => m.costUsd, format: formatCost, better: "lower" },
];

export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, n: sorted.length };
}

export type Cell = { text: string; best: boolean; diff?: string };

/** "+12%", "−8%", "±0%"; undefined against a first value of 0 or none. */
export function percentDiff(value: number, first: number | undefined): string | undefined {
  if (first === undefined || first === 0) return undefined;
  const pct = Math.round(((value - first) / first) * 100);
  if (pct === 0) return "±0%";
  return pct > 0 ? `+${pct}%` : `−${Math.abs(pct)}%`;
}

/** A numeric row's cells, one per column. */
export function numericCells(row: NumericRow, columns: readonly RunFigures[][]): Cell[] {
  const summaries = columns.map((runs) =>
    summarize(
      runs.flatMap((r) => {
        const v = r.metadata && row.read(r.metadata);
        return v === undefined || !Number.isFinite(v) ? [] : [v];
      }),
    ),
  );
  const medians = summaries.flatMap((s) => (s ? [s.median] : []));
  const best =
    medians.length > 1
      ? row.better === "lower"
        ? Math.min(...medians)
        : Math.max(...medians)
      : undefined;
  const first = summaries[0]?.median;
  return summaries.map((s, i) => {
    if (!s) return { text: "—", best: false };
    const range = s.n > 1 && s.min !== s.max ? ` (${row.format(s.min)}–${row.format(s.max)})` : "";
    return {
      text: `${row.format(s.median) ?? "—"}${range}`,
      best: best !== undefined && s.median === best,
      diff: i === 0 ? undefined : percentDiff(s.median, first),
    };
  });
}

/** Finish reasons of a column, counted: "stop", or "stop ×2, length". */
export function finishCells(columns: readonly RunFigures[][]): Cell[] {
  return columns.map((runs) => {
    const counts = new Map<string, number>();
    for (const r of runs) {
      const reason = r.metadata?.finishReason;
      if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    const text = [...counts].map(([reason, n]) => (n > 1 ? `${reason} ×${n}` : reason)).join(", ");
    return { text: text || "—", best: false };
  });
}

/** An answer's figures; its verdict when the server checked it against a requested JSON format. */
export function runFigures(metadata: TurnMetadata | undefined): RunFigures {
  const check = metadata?.schemaCheck;
  return check ? { metadata, verdict: { valid: check.valid } } : { metadata };
}

/**
 * Schema-valid answers of a column, "2 / 3" ("—" for a column with no checked answer); undefined
 * when no answer was checked. The best share is marked when several columns were checked.
 */
export function schemaCells(columns: readonly RunFigures[][]): Cell[] | undefined {
  const counts = columns.map((runs) => {
    const checked = runs.filter((r) => r.verdict);
    return { valid: checked.filter((r) => r.verdict?.valid).length, checked: checked.length };
  });
  const shares = counts.flatMap((c) => (c.checked > 0 ? [c.valid / c.checked] : []));
  if (shares.length === 0) return undefined;
  const top = shares.length > 1 ? Math.max(...shares) : undefined;
  return counts.map((c) =>
    c.checked === 0
      ? { text: "—", best: false }
      : { text: `${c.valid} / ${c.checked}`, best: c.valid / c.checked === top },
  );
}
