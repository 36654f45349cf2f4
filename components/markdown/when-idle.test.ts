import { afterEach, describe, expect, it, vi } from "vitest";

type Idle = { callback: () => void; timeout: number | undefined };

/** A fresh copy of the module with a requestIdleCallback the test runs by hand. */
async function setup() {
  const periods: Idle[] = [];
  vi.stubGlobal("requestIdleCallback", (callback: () => void, options?: { timeout?: number }) => {
    periods.push({ callback, timeout: options?.timeout });
    return periods.length;
  });
  vi.resetModules();
  const { whenIdle } = await import("./when-idle");
  const idle = () => periods.shift()?.callback();
  return { whenIdle, periods, idle };
}

afterEach(() => vi.unstubAllGlobals());

describe("whenIdle", () => {
  it("runs one piece of work per idle period, newest first, with a bounded wait", async () => {
    const { whenIdle, periods, idle } = await setup();
    const ran: string[] = [];
    whenIdle(() => ran.push("first"));
    whenIdle(() => ran.push("second"));
    whenIdle(() => ran.push("third"));
    // One request for the whole backlog, with a timeout for a page that is never idle.
    expect(periods).toHaveLength(1);
    expect(periods[0]!.timeout).toBeGreaterThan(0);
    idle();
    expect(ran).toEqual(["third"]);
    idle();
    idle();
    expect(ran).toEqual(["third", "second", "first"]);
    expect(periods).toHaveLength(0);
  });

  it("does not run work that was cancelled", async () => {
    const { whenIdle, idle } = await setup();
    const ran: string[] = [];
    whenIdle(() => ran.push("kept"));
    const cancel = whenIdle(() => ran.push("cancelled"));
    cancel();
    idle();
    idle();
    expect(ran).toEqual(["kept"]);
  });
});
