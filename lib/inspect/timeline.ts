import type { ParsedChunk } from "./chunks";

/**
 * Inspect's Timeline tab: when reasoning and answer arrived, as spans per lane, the moments that
 * matter (first reasoning token, first answer token, end of reasoning, end) and the gaps of
 * GAP_MS or more between two lines, where the stream stalled.
 */

export const GAP_MS = 250;

export type Span = { fromMs: number; toMs: number; chunks: number };
export type Gap = {
  fromMs: number;
  toMs: number;
  ms: number;
  /** 0-based index of the line after it. */ before: number;
};
export type Mark = { name: string; ms: number };

export type Timeline = {
  lanes: { reasoning: Span[]; answer: Span[] };
  marks: Mark[];
  gaps: Gap[];
  endMs: number;
};

/** Chunks of one lane closer than GAP_MS join into one span. */
function addTo(spans: Span[], ms: number) {
  const last = spans.at(-1);
  if (last && ms - last.toMs < GAP_MS) {
    last.toMs = ms;
    last.chunks += 1;
  } else spans.push({ fromMs: ms, toMs: ms, chunks: 1 });
}

export function buildTimeline(
  lines: readonly { ms: number }[],
  chunks: readonly ParsedChunk[],
  options: { endMs?: number; omittedAfter?: number } = {},
): Timeline {
  const reasoning: Span[] = [];
  const answer: Span[] = [];
  const gaps: Gap[] = [];
  let firstReasoning: number | undefined;
  let lastReasoning: number | undefined;
  let firstAnswer: number | undefined;
  lines.forEach((line, i) => {
    const chunk = chunks[i];
    if (chunk?.reasoning) {
      firstReasoning ??= line.ms;
      lastReasoning = line.ms;
      addTo(reasoning, line.ms);
    }
    if (chunk?.content || chunk?.toolCalls) {
      firstAnswer ??= line.ms;
      addTo(answer, line.ms);
    }
    const prev = lines[i - 1];
    // Across lines left out, the time between is not a stall.
    if (prev && i !== options.omittedAfter && line.ms - prev.ms >= GAP_MS)
      gaps.push({ fromMs: prev.ms, toMs: line.ms, ms: line.ms - prev.ms, before: i });
  });
  const endMs = Math.max(options.endMs ?? 0, lines.at(-1)?.ms ?? 0);
  const marks: Mark[] = [];
  if (firstReasoning !== undefined)
    marks.push({ name: "First reasoning token", ms: firstReasoning });
  if (firstAnswer !== undefined) marks.push({ name: "First answer token", ms: firstAnswer });
  if (lastReasoning !== undefined) marks.push({ name: "End of reasoning", ms: lastReasoning });
  if (lines.length > 0) marks.push({ name: "End", ms: endMs });
  return { lanes: { reasoning, answer }, marks, gaps, endMs };
}
