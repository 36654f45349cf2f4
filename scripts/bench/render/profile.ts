/**
 * A CPU profile of the page (Chromium's sampling profiler over CDP), summarised by where the
 * self time went: the evidence behind a figure that misses its target.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CDPSession } from "@playwright/test";

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export async function startProfile(cdp: CDPSession) {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
  await cdp.send("Profiler.start");
}

/** Stops, writes the raw profile (open it in DevTools), and returns the top self-time lines. */
export async function stopProfile(cdp: CDPSession, file: string, top = 25): Promise<string[]> {
  const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: Profile };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(profile));
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byNode.get(id);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split("/").pop() || "(native)";
    const key = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([key, ms]) =>
        `${((100 * ms) / total).toFixed(1).padStart(5)} %  ${Math.round(ms)} ms  ${key}`,
    );
}

/**
 * What a benchmark's Chromium trace records (BENCH_RENDER_TRACE, BENCH_COMPARE_TRACE): the
 * Performance panel's timeline, plus every thread's tasks with their CPU time (`toplevel`), so
 * that a long frame that waited for a core tells itself apart from one that worked.
 */
export const TRACE_CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "toplevel",
];
