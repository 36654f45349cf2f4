import { useMemo } from "react";
import type { ParsedChunk } from "@/lib/inspect/chunks";
import type { DecodedLine, ExchangeRequest } from "@/lib/inspect/exchange";
import { buildTimeline, GAP_MS, type Span } from "@/lib/inspect/timeline";

/** Gaps drawn and listed at most: a stream that stalls every second would bury the rest. */
const MAX_GAPS = 200;

const percent = (ms: number, endMs: number) => `${endMs > 0 ? (ms / endMs) * 100 : 0}%`;

function Lane({
  name,
  spans,
  endMs,
  tone,
}: {
  name: string;
  spans: Span[];
  endMs: number;
  tone: string;
}) {
  const chunks = spans.reduce((n, span) => n + span.chunks, 0);
  return (
    <div className="flex items-center gap-2">
      <span className="w-20 shrink-0 text-xs font-medium">{name}</span>
      <div
        role="img"
        aria-label={`${name} lane: ${chunks.toLocaleString("en")} chunks in ${spans.length} runs`}
        className="relative h-5 flex-1 rounded bg-muted"
      >
        {spans.map((span, i) => (
          <div
            key={i}
            className={`absolute inset-y-0 min-w-px ${tone}`}
            style={{
              left: percent(span.fromMs, endMs),
              width: percent(span.toMs - span.fromMs, endMs),
            }}
          />
        ))}
      </div>
    </div>
  );
}

/** Reasoning and answer over time, with the moments that matter and the stalls. */
export function TimelineTab({
  exchange,
  lines,
  chunks,
}: {
  exchange: ExchangeRequest;
  lines: DecodedLine[];
  chunks: ParsedChunk[];
}) {
  const timeline = useMemo(
    () =>
      buildTimeline(lines, chunks, {
        endMs: exchange.end?.ms,
        omittedAfter: exchange.omitted?.after,
      }),
    [lines, chunks, exchange],
  );
  const { endMs, marks, gaps, lanes } = timeline;
  if (lines.length === 0)
    return <p className="text-sm text-muted-foreground">No chunks were received.</p>;
  return (
    <div className="flex flex-col gap-4">
      <div className="relative flex flex-col gap-2 pr-2">
        <Lane name="Reasoning" spans={lanes.reasoning} endMs={endMs} tone="bg-violet-500/70" />
        <Lane name="Answer" spans={lanes.answer} endMs={endMs} tone="bg-emerald-500/70" />
        <div aria-hidden className="pointer-events-none absolute inset-y-0 right-2 left-22">
          {gaps.slice(0, MAX_GAPS).map((gap) => (
            <div
              key={gap.before}
              className="absolute inset-y-0 bg-destructive/20"
              style={{ left: percent(gap.fromMs, endMs), width: percent(gap.ms, endMs) }}
              title={`${gap.ms} ms`}
            />
          ))}
          {marks.map((mark) => (
            <div
              key={mark.name}
              className="absolute inset-y-0 border-l border-foreground/60"
              style={{ left: percent(mark.ms, endMs) }}
            />
          ))}
        </div>
      </div>
      <div className="flex justify-between pl-22 text-xs text-muted-foreground tabular-nums">
        <span>0 ms</span>
        <span>{endMs.toLocaleString("en")} ms</span>
      </div>
      <section aria-label="Marks">
        <h4 className="mb-1 text-xs font-semibold">Marks (ms since the request started)</h4>
        <ul className="text-sm tabular-nums">
          {marks.map((mark) => (
            <li key={mark.name}>
              <span>{mark.name}:</span> <span>{mark.ms.toLocaleString("en")} ms</span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="Gaps">
        <h4 className="mb-1 text-xs font-semibold">
          Gaps of {GAP_MS} ms or more: {gaps.length.toLocaleString("en")}
        </h4>
        {gaps.length > 0 ? (
          <ul className="text-sm tabular-nums">
            {gaps.slice(0, MAX_GAPS).map((gap) => (
              <li key={gap.before}>
                {gap.ms.toLocaleString("en")} ms, from {gap.fromMs.toLocaleString("en")} to{" "}
                {gap.toMs.toLocaleString("en")} ms (before chunk{" "}
                {(gap.before >= (exchange.omitted?.after ?? Infinity)
                  ? gap.before + (exchange.omitted?.lines ?? 0)
                  : gap.before) + 1}
                )
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
