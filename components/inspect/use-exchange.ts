"use client";

import { useEffect, useState } from "react";
import { type ParsedChunk, parseLine } from "@/lib/inspect/chunks";
import { type DecodedLine, decodeLines, type Exchange } from "@/lib/inspect/exchange";

export type LoadedExchange = { exchange: Exchange; lines: DecodedLine[]; chunks: ParsedChunk[] };

export type ExchangeState =
  | { state: "loading" }
  | { state: "missing" }
  | { state: "failed"; message: string }
  | ({ state: "ready" } & LoadedExchange);

/** Lines read per slice: a 40,000-chunk turn is read in slices, with the page free in between. */
const SLICE = 2_000;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function parseAll(lines: DecodedLine[], cancelled: () => boolean): Promise<ParsedChunk[]> {
  const chunks: ParsedChunk[] = new Array(lines.length);
  for (let start = 0; start < lines.length; start += SLICE) {
    if (start > 0) await nextTask();
    if (cancelled()) return chunks;
    const end = Math.min(lines.length, start + SLICE);
    for (let i = start; i < end; i++) chunks[i] = parseLine(lines[i]!.text);
  }
  return chunks;
}

/** Fetches a turn's exchange and reads every line once, in slices. */
export function useExchange(url: string): ExchangeState {
  const [state, setState] = useState<ExchangeState>({ state: "loading" });
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const response = await fetch(url, { cache: "no-store" });
        if (response.status === 404) return setState({ state: "missing" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const { exchange } = (await response.json()) as { exchange: Exchange };
        await nextTask();
        const lines = decodeLines(exchange);
        const chunks = await parseAll(lines, () => cancelled);
        if (!cancelled) setState({ state: "ready", exchange, lines, chunks });
      } catch (error) {
        if (!cancelled)
          setState({
            state: "failed",
            message: error instanceof Error ? error.message : String(error),
          });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [url]);
  return state;
}
