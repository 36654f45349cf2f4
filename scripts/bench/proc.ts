/**
 * CPU time and resident memory of a server, read from /proc (Linux) and summed over its process
 * tree: `npm start` runs npm, a shell and node, and the work happens in the children.
 */
import { readdirSync, readFileSync } from "node:fs";

/** All live descendants of `pid`, itself included. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux.

function readProcStat(pid: number): { ppid: number; cpuMs: number } | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
    const fields = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { ppid: Number(fields[1]), cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

function readRssKb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) and resident memory of a process and all its descendants. */
export function treeUsage(pid: number): { cpuMs: number; rssMB: number } {
  let cpuMs = 0;
  let rssKb = 0;
  for (const p of processTree(pid)) {
    cpuMs += readProcStat(p)?.cpuMs ?? 0;
    rssKb += readRssKb(p);
  }
  return { cpuMs, rssMB: rssKb / 1024 };
}

/** Samples a process tree's RSS every `everyMs` until stopped; returns the peak in MB. */
export function samplePeakRss(pid: number, everyMs = 200): { stop(): number } {
  let peak = treeUsage(pid).rssMB;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeUsage(pid).rssMB);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeUsage(pid).rssMB);
    },
  };
}
