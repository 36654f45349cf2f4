/**
 * What the render benchmark observes inside the page. `installProbe` runs before the app (as an
 * init script): long tasks, key presses, and the moment each watched text first is in the DOM.
 * Times are wall-clock milliseconds (`performance.timeOrigin + performance.now()`), comparable
 * with the fake upstream's `completedAt` on the same machine.
 */

export type ProbeState = {
  longTasks: { at: number; duration: number }[];
  /** Animation frames over 50 ms, with where their time went (for the log, not a figure). */
  longFrames: {
    at: number;
    duration: number;
    /** Scripts, style and layout, then paint: ms from the frame's start. */
    renderStart: number;
    styleAndLayoutStart: number;
    scripts: { what: string; duration: number; forcedLayout: number }[];
  }[];
  /** Per key press: how long it waited for the main thread, and until the next frame. */
  keys: { at: number; delay: number; toFrame: number }[];
  /** Watched text → when it was first in the DOM, and the frame after. */
  seen: Record<string, { dom: number; frame: number }>;
  watch: string[];
};

declare global {
  interface Window {
    __probe: ProbeState;
  }
}

export function installProbe() {
  const now = () => performance.timeOrigin + performance.now();
  const probe: ProbeState = { longTasks: [], longFrames: [], keys: [], seen: {}, watch: [] };
  window.__probe = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      probe.longTasks.push({ at: performance.timeOrigin + e.startTime, duration: e.duration });
  }).observe({ type: "longtask", buffered: true });
  type Script = {
    invoker: string;
    sourceFunctionName: string;
    sourceURL: string;
    sourceCharPosition: number;
    duration: number;
    forcedStyleAndLayoutDuration: number;
  };
  type Frame = PerformanceEntry & {
    renderStart: number;
    styleAndLayoutStart: number;
    scripts: Script[];
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as Frame[]) {
      if (e.duration <= 50) continue;
      probe.longFrames.push({
        at: performance.timeOrigin + e.startTime,
        duration: e.duration,
        renderStart: e.renderStart ? e.renderStart - e.startTime : 0,
        styleAndLayoutStart: e.styleAndLayoutStart ? e.styleAndLayoutStart - e.startTime : 0,
        scripts: e.scripts.map((s) => ({
          what: `${s.invoker} ${s.sourceFunctionName} ${s.sourceURL.split("/").pop()}:${s.sourceCharPosition}`,
          duration: Math.round(s.duration),
          forcedLayout: Math.round(s.forcedStyleAndLayoutDuration),
        })),
      });
    }
  }).observe({ type: "long-animation-frame", buffered: true });

  addEventListener(
    "keydown",
    (event) => {
      const at = performance.timeOrigin + event.timeStamp;
      const delay = now() - at;
      requestAnimationFrame(() => probe.keys.push({ at, delay, toFrame: now() - at }));
    },
    { capture: true },
  );

  // Only what changed is read (a text node, or an added subtree), so the probe stays cheap.
  const check = (text: string | null) => {
    if (!text) return;
    for (const watched of probe.watch) {
      if (probe.seen[watched] || !text.includes(watched)) continue;
      const entry = { dom: now(), frame: 0 };
      probe.seen[watched] = entry;
      requestAnimationFrame(() => (entry.frame = now()));
    }
  };
  new MutationObserver((records) => {
    if (probe.watch.length === 0) return;
    for (const record of records) {
      if (record.type === "characterData") check(record.target.textContent);
      else for (const node of record.addedNodes) check(node.textContent);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

export type LongTaskSummary = { count: number; totalMs: number; longestMs: number };

export function summarise(tasks: ProbeState["longTasks"], from: number, to: number) {
  const inside = tasks.filter((t) => t.at >= from && t.at <= to);
  return {
    count: inside.length,
    totalMs: Math.round(inside.reduce((sum, t) => sum + t.duration, 0)),
    longestMs: Math.round(Math.max(0, ...inside.map((t) => t.duration))),
  } satisfies LongTaskSummary;
}

/**
 * From when the fake upstream handed the event holding `marker`'s last piece to the socket
 * (`sentAt`, its record's clock) to when the marker was in the DOM; null if either is missing.
 */
export function displayLag(probe: ProbeState, marker: string, sentAt: number | undefined) {
  const seen = probe.seen[marker];
  return seen && sentAt ? Math.round(seen.dom - sentAt) : null;
}

/**
 * For the log, not a figure: each long task from `from` (ms after it: duration), then each
 * animation frame over 50 ms with where its time went (Long Animation Frames).
 */
export function describeLongTasks(probe: ProbeState, from: number, what: string): string[] {
  const tasks = probe.longTasks
    .filter((t) => t.at >= from)
    .map((t) => `${Math.round(t.at - from)}: ${Math.round(t.duration)}`);
  const frames = probe.longFrames
    .filter((f) => f.at >= from)
    .map(
      (f) =>
        `  long frame at ${Math.round(f.at - from)}: ${Math.round(f.duration)} ms, render from ${Math.round(f.renderStart)}, style+layout from ${Math.round(f.styleAndLayoutStart)}; ` +
        f.scripts.map((s) => `${s.what} ${s.duration} (forced ${s.forcedLayout})`).join("; "),
    );
  return [`  long tasks (ms after ${what}: duration): ${tasks.join(", ") || "none"}`, ...frames];
}
