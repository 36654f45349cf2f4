import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createUpdateSlots } from "./update-slots";

describe("createUpdateSlots", () => {
  beforeEach(() => vi.useFakeTimers({ now: 10_000 }));
  afterEach(() => vi.useRealTimers());

  /** Four columns that change every 5 ms for `ms`: when each was put on screen. */
  function run(ms: number, columns = 4) {
    const flushes: { c: number; at: number }[] = [];
    const slots = createUpdateSlots({
      intervalMs: 100,
      slotMs: 25,
      flush: (c) => flushes.push({ c, at: Date.now() }),
      now: () => Date.now(),
    });
    for (let t = 0; t < ms; t += 5) {
      for (let c = 0; c < columns; c++) slots.schedule(c);
      vi.advanceTimersByTime(5);
    }
    return { flushes, slots };
  }

  it("puts one column on screen per slot, in turns, each at most once per interval", () => {
    const { flushes } = run(1_000);
    expect(flushes.length).toBeGreaterThanOrEqual(36);
    for (let i = 1; i < flushes.length; i++)
      expect(flushes[i]!.at - flushes[i - 1]!.at).toBeGreaterThanOrEqual(25);
    for (let c = 0; c < 4; c++) {
      const times = flushes.filter((f) => f.c === c).map((f) => f.at);
      expect(times.length).toBeGreaterThanOrEqual(9);
      for (let i = 1; i < times.length; i++)
        expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(100);
    }
    // Round robin: every run of four slots holds all four columns.
    expect(new Set(flushes.slice(4, 8).map((f) => f.c)).size).toBe(4);
  });

  it("a single column is updated every interval, not every slot", () => {
    const { flushes } = run(1_000, 1);
    expect(flushes.length).toBeGreaterThanOrEqual(9);
    expect(flushes.length).toBeLessThanOrEqual(10);
  });

  it("a column put on screen out of turn waits an interval for its next turn", () => {
    const flushes: number[] = [];
    const slots = createUpdateSlots({
      intervalMs: 100,
      slotMs: 25,
      flush: (c) => flushes.push(c),
      now: () => Date.now(),
    });
    slots.flushed(0);
    slots.schedule(0);
    vi.advanceTimersByTime(75);
    expect(flushes).toEqual([]);
    vi.advanceTimersByTime(25);
    expect(flushes).toEqual([0]);
  });

  it("nothing changed, nothing runs; cancel stops the turns", () => {
    const { flushes, slots } = run(200);
    const count = flushes.length;
    vi.advanceTimersByTime(1_000);
    // The columns scheduled in the last 5 ms still get their turn, then the turns stop.
    expect(flushes.length).toBeLessThanOrEqual(count + 4);
    const settled = flushes.length;
    slots.schedule(1);
    slots.cancel();
    vi.advanceTimersByTime(1_000);
    expect(flushes.length).toBe(settled);
    expect(vi.getTimerCount()).toBe(0);
  });
});
