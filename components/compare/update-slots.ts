/**
 * Puts the columns' changes on screen in turns: at most one column per `slotMs`, each column at
 * most once per `intervalMs`, the one that waited longest first. Four columns growing at once
 * are then four small frames spread over the interval, not two or four in one frame: timers of
 * their own drift into step, and React renders transitions that are pending together in one
 * pass.
 */
export type UpdateSlots = {
  /** Column `c` has changes: put them on screen at its next turn. */
  schedule(c: number): void;
  /**
   * Column `c` is put on screen now, out of turn (its answer ended): its next turn is an
   * interval later.
   */
  flushed(c: number): void;
  /** No further turn. */
  cancel(): void;
};

export function createUpdateSlots(options: {
  intervalMs: number;
  slotMs: number;
  flush: (c: number) => void;
  now?: () => number;
}): UpdateSlots {
  const { intervalMs, slotMs, flush, now = () => performance.now() } = options;
  const waiting = new Set<number>();
  const flushedAt = new Map<number, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const since = (c: number) => now() - (flushedAt.get(c) ?? -Infinity);

  const turn = () => {
    timer = undefined;
    let oldest: number | undefined;
    for (const c of waiting) if (oldest === undefined || since(c) > since(oldest)) oldest = c;
    // The slot passes unused when the column waiting longest had its turn too recently.
    if (oldest !== undefined && since(oldest) >= intervalMs) {
      slots.flushed(oldest);
      flush(oldest);
    }
    if (waiting.size > 0) timer = setTimeout(turn, slotMs);
  };

  const slots: UpdateSlots = {
    schedule(c) {
      waiting.add(c);
      timer ??= setTimeout(turn, slotMs);
    },
    flushed(c) {
      waiting.delete(c);
      flushedAt.set(c, now());
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      waiting.clear();
    },
  };
  return slots;
}
