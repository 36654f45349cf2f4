import { describe, expect, it } from "vitest";
import { guessContents } from "./first-load-js";
import { category, summarize } from "./profile-summary";
import { describeLongTasks, displayLag, type ProbeState } from "./render/probe";
import { percentile, pool } from "./support";

describe("percentile", () => {
  it("takes the nearest rank of unsorted samples", () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("pool", () => {
  it("runs every task with at most `concurrency` at once, results in order", async () => {
    let running = 0;
    let most = 0;
    const results = await pool(10, 3, async (i) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return i * 2;
    });
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(most).toBe(3);
  });

  it("starts no task after its time limit", async () => {
    const results = await pool(5, 1, (i) => new Promise((r) => setTimeout(() => r(i), 30)), 40);
    expect(results.filter((r) => r !== undefined).length).toBeLessThan(5);
    expect(results[0]).toBe(0);
  });
});

describe("guessContents", () => {
  it("names packages by the strings they leave, most frequent first", () => {
    expect(guessContents('katex katex "shiki" class="lucide lucide-x"')).toEqual([
      "katex",
      "lucide",
      "shiki",
    ]);
    expect(guessContents("function a(){return 1}")).toEqual([]);
  });
});

describe("CPU profile summary", () => {
  it("groups self time by package, Node subsystem or V8 pseudo-frame, idle left out", () => {
    expect(
      category({ functionName: "x", url: "file:///a/node_modules/@electric-sql/pglite/dist/x.js" }),
    ).toBe("@electric-sql/pglite");
    expect(category({ functionName: "(garbage collector)", url: "" })).toBe("(garbage collector)");
    expect(category({ functionName: "f", url: "node:internal/webstreams/readablestream" })).toBe(
      "node:internal/webstreams",
    );
    expect(category({ functionName: "f", url: "wasm://wasm/abc" })).toBe("WebAssembly (PGlite)");
    const rows = summarize([
      {
        startTime: 0,
        endTime: 4000, // µs: 4 samples of 1 ms
        samples: [1, 2, 2, 3],
        nodes: [
          { id: 1, hitCount: 1, callFrame: { functionName: "(idle)", url: "" } },
          {
            id: 2,
            hitCount: 2,
            callFrame: { functionName: "g", url: "file:///x/node_modules/pg/lib/a.js" },
          },
          { id: 3, hitCount: 1, callFrame: { functionName: "(garbage collector)", url: "" } },
        ],
      },
    ]);
    expect(rows).toEqual([
      { category: "pg", ms: 2, share: (2 / 3) * 100 },
      { category: "(garbage collector)", ms: 1, share: (1 / 3) * 100 },
    ]);
  });
});

describe("describeLongTasks", () => {
  it("lists the long tasks and frames after a moment, in ms from it", () => {
    const probe: ProbeState = {
      longTasks: [
        { at: 900, duration: 80 },
        { at: 1_120.4, duration: 61.6 },
      ],
      longFrames: [
        {
          at: 1_100,
          duration: 70.2,
          renderStart: 60,
          styleAndLayoutStart: 62,
          scripts: [{ what: "MessagePort.onmessage z app.js:10", duration: 31, forcedLayout: 0 }],
        },
      ],
      keys: [],
      seen: {},
      watch: [],
    };
    expect(describeLongTasks(probe, 1_000, "Run")).toEqual([
      "  long tasks (ms after Run: duration): 120: 62",
      "  long frame at 100: 70 ms, render from 60, style+layout from 62; MessagePort.onmessage z app.js:10 31 (forced 0)",
    ]);
    expect(describeLongTasks({ ...probe, longTasks: [], longFrames: [] }, 0, "Send")).toEqual([
      "  long tasks (ms after Send: duration): none",
    ]);
  });
});

describe("displayLag", () => {
  it("is the time from the marker's last event on the socket to the marker in the DOM", () => {
    const probe: ProbeState = {
      longTasks: [],
      longFrames: [],
      keys: [],
      seen: { Done: { dom: 1_250.6, frame: 1_260 } },
      watch: ["Done"],
    };
    expect(displayLag(probe, "Done", 1_200)).toBe(51);
    expect(displayLag(probe, "Done", undefined)).toBeNull();
    expect(displayLag(probe, "Missing", 1_200)).toBeNull();
  });
});
