"use client";

import { startTransition, useCallback, useEffect, useRef, useState } from "react";
import { uiChunkStream } from "@/components/playground/chat-transport";
import { createTurnState, type TurnState } from "@/lib/chat/turn-state";
import { createUpdateSlots, type UpdateSlots } from "./update-slots";
import { ThinkpaneError } from "@/lib/errors";
import type { ThinkpaneUIMessage } from "@/lib/types";

/** One answer of one column as shown: its message, whether it streams, why it was refused. */
export type RunView = {
  message: ThinkpaneUIMessage;
  streaming: boolean;
  error?: ThinkpaneError;
  /** Not started yet (a sequential run, or runs per column), or never started (Stop came first). */
  pending?: "queued" | "skipped";
};

const UPDATE_MS = 100;
/** Updates of different columns are at least this far apart: four columns share UPDATE_MS. */
const SLOT_MS = UPDATE_MS / 4;

type Live = { state: TurnState; view: RunView; dirty: boolean };

const emptyMessage = (id: string): ThinkpaneUIMessage => ({
  id,
  role: "assistant",
  parts: [],
  metadata: {},
});

/**
 * Runs a comparison from the browser: one request per answer of each column (POST
 * /api/compare/<id>/run, streamed like /api/chat), all columns at once or one request at a
 * time. Chunks build each answer in place; each column is updated on screen at most every
 * UPDATE_MS.
 */
export function useCompareRuns(initial: RunView[][]) {
  const [views, setViews] = useState<RunView[][]>(initial);
  const [running, setRunning] = useState(false);
  const live = useRef<Live[][]>([]);
  const aborts = useRef<AbortController[]>([]);
  const stopped = useRef(false);

  /** What is on screen (or about to be): one array per column, replaced when it changes. */
  const shown = useRef<RunView[][]>(initial);

  /**
   * Puts column `c`'s changed answers on screen; the other columns keep their arrays, so their
   * memoised panels do not render again. The new state is computed here and set as a value, not
   * in an updater: React may run a transition's updater again on another base (when a more urgent
   * update comes between), and an updater that consumes `dirty` would then lose the change.
   */
  const flushColumn = useCallback((c: number) => {
    const column = live.current[c];
    if (!column) return;
    for (const run of column) {
      if (!run.dirty) continue;
      run.dirty = false;
      const { parts, metadata } = run.state.snapshot();
      run.view = { ...run.view, message: { ...run.view.message, parts, metadata } };
    }
    const next = live.current.map((_, i) => shown.current[i] ?? []);
    next[c] = column.map((run) => run.view);
    shown.current = next;
    // A transition: React renders in slices and yields in between, and input stays responsive.
    startTransition(() => setViews(next));
  }, []);

  // As the playground throttles useChat (every 50 ms), at most one update per column per
  // UPDATE_MS: twice as long here, since up to four columns grow at once and each update costs
  // a frame of layout and paint (see README, Compare). The columns take turns, one per SLOT_MS
  // (see update-slots.ts), so four growing columns are four small frames spread over the
  // interval (the columns are memoised: one column's update renders that column only).
  const slots = useRef<UpdateSlots>(undefined);
  useEffect(() => {
    const current = createUpdateSlots({
      intervalMs: UPDATE_MS,
      slotMs: SLOT_MS,
      flush: flushColumn,
    });
    slots.current = current;
    return () => current.cancel();
  }, [flushColumn]);
  const schedule = useCallback((c: number) => slots.current?.schedule(c), []);
  /** Out of turn (an answer's end): at once, and the column's next turn is an interval later. */
  const flushNow = useCallback(
    (c: number) => {
      slots.current?.flushed(c);
      flushColumn(c);
    },
    [flushColumn],
  );
  const flushAll = useCallback(() => {
    live.current.forEach((_, c) => flushNow(c));
  }, [flushNow]);

  useEffect(() => () => aborts.current.forEach((a) => a.abort()), []);

  const runOne = useCallback(
    async (id: string, column: number, run: number) => {
      const entry = live.current[column]![run]!;
      const abort = new AbortController();
      aborts.current.push(abort);
      const update = (view: Partial<RunView>) => {
        entry.view = { ...entry.view, ...view };
        entry.dirty = true;
        schedule(column);
      };
      update({ streaming: true, pending: undefined });
      try {
        const response = await fetch(`/api/compare/${encodeURIComponent(id)}/run`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ column, run }),
          signal: abort.signal,
        });
        if (!response.ok || !response.body) {
          update({ streaming: false, error: ThinkpaneError.fromText(await response.text()) });
          return;
        }
        const reader = response.body
          .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
          .pipeThrough(uiChunkStream())
          .getReader();
        for (let next = await reader.read(); !next.done; next = await reader.read()) {
          if (next.value.type === "error") {
            update({ error: ThinkpaneError.fromText(next.value.errorText) });
            continue;
          }
          entry.state.apply(next.value);
          entry.dirty = true;
          // The answer is complete: it shows at once, not at the column's next tick (the stream
          // closes only after the server has stored it).
          if (next.value.type === "finish") flushNow(column);
          else schedule(column);
        }
        if (stopped.current)
          entry.state.apply({ type: "message-metadata", messageMetadata: { status: "stopped" } });
        update({ streaming: false });
        // The end shows at once, not at the column's next tick.
        flushNow(column);
      } catch (error) {
        update({
          streaming: false,
          error: abort.signal.aborted ? undefined : ThinkpaneError.fromUnknown(error),
        });
      }
    },
    [schedule, flushNow],
  );

  /** Starts every answer of every column; resolves when all have ended. */
  const start = useCallback(
    async (id: string, columns: number, runsPerColumn: number, sequential: boolean) => {
      stopped.current = false;
      aborts.current = [];
      live.current = Array.from({ length: columns }, (_, c) =>
        Array.from({ length: runsPerColumn }, (_, r) => ({
          state: createTurnState(),
          view: { message: emptyMessage(`${id}:${c}:${r}`), streaming: false, pending: "queued" },
          dirty: true,
        })),
      );
      flushAll();
      // A transition, as the columns' updates: four settings forms render again (disabled while
      // running), in slices, not in one task beside the answers' first and last updates.
      startTransition(() => setRunning(true));
      const column = async (c: number) => {
        for (let r = 0; r < runsPerColumn && !stopped.current; r++) await runOne(id, c, r);
      };
      if (sequential) for (let c = 0; c < columns && !stopped.current; c++) await column(c);
      else await Promise.all(Array.from({ length: columns }, (_, c) => column(c)));
      live.current.forEach((runs, c) => {
        for (const run of runs.filter((r) => r.view.pending === "queued")) {
          run.view = { ...run.view, pending: "skipped" };
          run.dirty = true;
          schedule(c);
        }
      });
      startTransition(() => setRunning(false));
    },
    [flushAll, runOne, schedule],
  );

  /** Stop: no further request starts, and the server stops every running answer. */
  const stop = useCallback(async (id: string) => {
    stopped.current = true;
    await fetch(`/api/compare/${encodeURIComponent(id)}/stop`, { method: "POST" });
  }, []);

  return { views, running, start, stop };
}
