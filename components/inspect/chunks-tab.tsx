"use client";

import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from "react";
import type { ParsedChunk } from "@/lib/inspect/chunks";
import type { DecodedLine, Exchange } from "@/lib/inspect/exchange";
import { cn } from "@/lib/utils";

/** Every row has this height, so the list can place any row without measuring it. */
const ROW_PX = 24;
/** Rows drawn above and below the visible ones, so a fast scroll shows no blank. */
const OVERSCAN = 20;

const labelClass: Record<string, string> = {
  reasoning: "text-violet-700 dark:text-violet-300",
  content: "text-emerald-700 dark:text-emerald-300",
  "tool call": "text-sky-700 dark:text-sky-300",
  usage: "text-amber-700 dark:text-amber-300",
  error: "text-destructive",
};

/** A row: a line by its index, or the place where lines were left out. */
type Row = number | "omitted";

/**
 * Every raw line, numbered, with its time and label, in a virtual list: only the rows in view
 * exist in the page, so 40,000 lines scroll like 40. A filter narrows them by text or label.
 */
export function ChunksTab({
  exchange,
  lines,
  chunks,
}: {
  exchange: Exchange;
  lines: DecodedLine[];
  chunks: ParsedChunk[];
}) {
  const [filter, setFilter] = useState("");
  const query = useDeferredValue(filter.trim().toLowerCase());
  const [selected, setSelected] = useState<number>();
  const filterId = useId();
  const omitted = exchange.omitted;

  const labels = useMemo(() => chunks.map((chunk) => chunk.labels.join(", ")), [chunks]);
  const rows = useMemo<Row[]>(() => {
    const out: Row[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (omitted && i === omitted.after && !query) out.push("omitted");
      if (!query || labels[i]!.includes(query) || lines[i]!.text.toLowerCase().includes(query))
        out.push(i);
    }
    return out;
  }, [lines, labels, query, omitted]);

  /** Line numbers count the lines left out, so the last one is the stream's true count. */
  const number = (i: number) => (omitted && i >= omitted.after ? i + omitted.lines : i) + 1;
  const total = lines.length + (omitted?.lines ?? 0);

  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 400 });
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setView({ top: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(view.top / ROW_PX) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW_PX) + OVERSCAN);
  const shown = rows.slice(first, last);
  const detail = selected === undefined ? undefined : lines[selected];

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <label htmlFor={filterId} className="sr-only">
          Filter chunks
        </label>
        <input
          id={filterId}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="Filter by text or label (reasoning, content, usage…)"
          className="w-80 max-w-full rounded-md border border-input bg-background px-2 py-1"
        />
        <p role="status" aria-label="Chunk count" className="text-muted-foreground tabular-nums">
          {query
            ? `${rows.length.toLocaleString("en")} of ${total.toLocaleString("en")} chunks`
            : `${total.toLocaleString("en")} chunks`}
          {omitted
            ? ` (${omitted.lines.toLocaleString("en")} left out past the size limit, ${Math.round(omitted.bytes / 1000).toLocaleString("en")} kB)`
            : ""}
        </p>
      </div>
      <div
        ref={scroller}
        role="list"
        aria-label="Chunks"
        tabIndex={0}
        onScroll={(e) =>
          setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })
        }
        className="relative min-h-40 flex-1 overflow-auto rounded-md border font-mono text-xs"
      >
        <div style={{ height: rows.length * ROW_PX }} className="relative">
          {shown.map((row, k) => {
            const top = (first + k) * ROW_PX;
            if (row === "omitted")
              return (
                <div
                  key="omitted"
                  role="listitem"
                  style={{ top, height: ROW_PX }}
                  className="absolute inset-x-0 flex items-center bg-warning px-2 text-warning-foreground"
                >
                  … {omitted!.lines.toLocaleString("en")} lines left out here …
                </div>
              );
            const chunk = chunks[row];
            return (
              <div
                key={row}
                role="listitem"
                aria-posinset={first + k + 1}
                aria-setsize={rows.length}
                style={{ top, height: ROW_PX }}
                className={cn(
                  "absolute inset-x-0 flex cursor-pointer items-center gap-3 px-2 whitespace-pre hover:bg-muted",
                  selected === row && "bg-muted",
                )}
                onClick={() => setSelected(row)}
              >
                <span className="w-14 shrink-0 text-right text-muted-foreground">
                  {number(row)}
                </span>
                <span className="w-16 shrink-0 text-right tabular-nums">{lines[row]!.ms} ms</span>
                <span
                  className={cn(
                    "w-28 shrink-0 truncate",
                    labelClass[chunk?.labels[0] ?? ""] ?? "text-muted-foreground",
                  )}
                >
                  {labels[row]}
                </span>
                <span className="min-w-0 truncate">{lines[row]!.text}</span>
              </div>
            );
          })}
        </div>
      </div>
      {detail ? (
        <section
          aria-label="Selected chunk"
          className="max-h-40 overflow-auto rounded-md border p-2"
        >
          <h4 className="mb-1 text-xs font-semibold">
            Chunk {number(selected!)} at {detail.ms} ms
          </h4>
          <pre className="text-xs break-all whitespace-pre-wrap">
            <code>{detail.text}</code>
          </pre>
        </section>
      ) : (
        <p className="text-xs text-muted-foreground">Select a row to see its whole line.</p>
      )}
    </div>
  );
}
