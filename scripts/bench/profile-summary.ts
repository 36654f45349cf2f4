/**
 * Where a server's CPU went: `BENCH_CPU_PROFILE_DIR=/tmp/prof npm run bench -- proxy` makes every
 * app server write V8 CPU profiles there (node --cpu-prof) when it stops; then
 * `node --import ./scripts/register-ts.mjs scripts/bench/profile-summary.ts /tmp/prof` prints
 * self time by package or Node subsystem, biggest first.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

type ProfileNode = {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string };
};
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };

/** A coarse owner for a function: its npm package, Node subsystem, or V8 pseudo-frame. */
export function category(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("wasm://")) return "WebAssembly (PGlite)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith("node:")) return url.split("/").slice(0, 2).join("/");
  if (url.includes("/.next/server/")) return "app bundle (.next/server)";
  return path.basename(url);
}

export function summarize(profiles: Profile[]): { category: string; ms: number; share: number }[] {
  const totals = new Map<string, number>();
  let all = 0;
  for (const profile of profiles) {
    const interval =
      (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
    for (const node of profile.nodes) {
      const ms = (node.hitCount ?? 0) * interval;
      if (ms === 0) continue;
      const key = category(node.callFrame);
      totals.set(key, (totals.get(key) ?? 0) + ms);
      if (key !== "(idle)") all += ms;
    }
  }
  return [...totals]
    .filter(([key]) => key !== "(idle)")
    .map(([key, ms]) => ({ category: key, ms, share: (ms / all) * 100 }))
    .sort((a, b) => b.ms - a.ms);
}

const dir = process.argv[2];
// Run as a script (not imported by its test).
if (dir && import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  const profiles = files.map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as Profile);
  console.log(`${files.length} profile(s); self time outside idle, by owner:`);
  for (const row of summarize(profiles).slice(0, 25)) {
    console.log(
      `${row.share.toFixed(1).padStart(5)} %  ${row.ms.toFixed(0).padStart(8)} ms  ${row.category}`,
    );
  }
}
