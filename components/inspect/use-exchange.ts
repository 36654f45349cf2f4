"use client";

import { useEffect, useState } from "react";
import { type ParsedChunk, parseLine } from "@/lib/inspect/chunks";
import {
  type DecodedLine,
  decodeLines,
  type Exchange,
  type ExchangeRequest,
  requestsOf,
} from "@/lib/inspect/exchange";

export type ExchangeState =
  | { state: "loading" }
  | { state: "missing" }
  | { state: "failed"; message: string }
  | { state: "ready"; requests: ExchangeRequest[] };

export type ReadRequest =
  | { state: "reading" }
  | { state: "failed"; message: string }
  | { state: "ready"; lines: DecodedLine[]; chunks: ParsedChunk[] };

/** Lines read per slice: a 40,000-chunk turn is read in slices, with the page free in between. */
const SLICE = 2_000;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

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

/** Fetches a turn's exchange: its requests to the upstream, oldest first. */
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
        if (!cancelled) setState({ state: "ready", requests: requestsOf(exchange) });
      } catch (error) {
        if (!cancelled) setState({ state: "failed", message: messageOf(error) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [url]);
  return state;
}

/** Reads every line of one request once, in slices. */
export function useReadRequest(request: ExchangeRequest | undefined): ReadRequest {
  const [read, setRead] = useState<{ for?: ExchangeRequest; result: ReadRequest }>({
    result: { state: "reading" },
  });
  useEffect(() => {
    if (!request) return;
    let cancelled = false;
    void (async () => {
      try {
        await nextTask();
        const lines = decodeLines(request);
        const chunks = await parseAll(lines, () => cancelled);
        if (!cancelled) setRead({ for: request, result: { state: "ready", lines, chunks } });
      } catch (error) {
        if (!cancelled)
          setRead({ for: request, result: { state: "failed", message: messageOf(error) } });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [request]);
  // What was read for another request is not shown for this one.
  return read.for === request ? read.result : { state: "reading" };
}
