"use client";

import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from "react";
import type { ParsedChunk } from "@/lib/inspect/chunks";
import type { DecodedLine, ExchangeRequest } from "@/lib/inspect/exchange";
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
  exchange: ExchangeRequest;
  lines: DecodedLine[];
  chunks: ParsedChunk[];
}) {
  const [filter, setFilter] = useState("");
  const query = useDeferredValue(filter.trim().toLowerCase());
  const [selected, setSelected] = useState<number>();
  const filterId = useId();
  const listId = useId();
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
  const frame = useRef(0);
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setView({ top: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame.current);
    };
  }, []);
  // One render per frame however many scroll events come: a wheel flick sends dozens.
  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const element = scroller.current;
      if (element) setView({ top: element.scrollTop, height: element.clientHeight });
    });
  };

  const first = Math.max(0, Math.floor(view.top / ROW_PX) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW_PX) + OVERSCAN);
  const shown = rows.slice(first, last);
  const detail = selected === undefined ? undefined : lines[selected];

  /** Arrow keys move the selection (Home, End and the page keys scroll, as in any list). */
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const lineRows = rows.filter((row): row is number => row !== "omitted");
    if (lineRows.length === 0) return;
    const at = selected === undefined ? -1 : lineRows.indexOf(selected);
    const next =
      lineRows[
        event.key === "ArrowDown"
          ? Math.min(lineRows.length - 1, at + 1)
          : Math.max(0, at === -1 ? 0 : at - 1)
      ]!;
    setSelected(next);
    const element = scroller.current;
    const top = rows.indexOf(next) * ROW_PX;
    if (
      element &&
      (top < element.scrollTop || top + ROW_PX > element.scrollTop + element.clientHeight)
    )
      element.scrollTop = top - element.clientHeight / 2;
  };

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
        role="listbox"
        aria-label="Chunks"
        aria-activedescendant={selected === undefined ? undefined : `${listId}-${selected}`}
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        // Strict containment: what changes in the list never makes the page around it lay out.
        className="min-h-40 flex-1 overflow-auto rounded-md border font-mono text-xs [contain:strict]"
      >
        <div style={{ height: rows.length * ROW_PX }}>
          {/* Rows sit in normal flow inside one moved block, keyed by their slot in the
              window: scrolling rewrites the text of the same few elements instead of making
              new ones. */}
          <div style={{ transform: `translateY(${first * ROW_PX}px)` }}>
            {shown.map((row, k) => {
              if (row === "omitted")
                return (
                  <div
                    key={k}
                    role="option"
                    aria-disabled
                    aria-selected={false}
                    style={{ height: ROW_PX }}
                    className="flex items-center bg-warning px-2 text-warning-foreground"
                  >
                    … {omitted!.lines.toLocaleString("en")} lines left out here …
                  </div>
                );
              const chunk = chunks[row];
              return (
                <div
                  key={k}
                  id={`${listId}-${row}`}
                  role="option"
                  aria-posinset={first + k + 1}
                  aria-setsize={rows.length}
                  aria-selected={selected === row}
                  style={{ height: ROW_PX }}
                  className={cn(
                    "flex cursor-pointer items-center gap-3 px-2 whitespace-pre hover:bg-muted",
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
