/**
 * What the benchmarks share: the fake upstream, production app servers started with `npm start`
 * (as the README runs the app), throwaway PostgreSQL databases, process-tree CPU and memory from
 * /proc, and percentiles. Everything started here is registered for cleanup, so an error or
 * Ctrl-C in the runner stops it too (see `cleanupAll`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startFakeUpstream, type FakeUpstream } from "../../e2e/fake-upstream/server";

export { CHROMIUM_ARGS } from "../../e2e/support/chromium";
import { liveGroups, registerCleanup } from "./cleanup";

export { cleanupAll, registerCleanup } from "./cleanup";
export { createThrowawayDatabase, onPostgres } from "./postgres";
export { samplePeakRss, treeUsage } from "./proc";

// Ports of this benchmark harness (loopback only); override for parallel runs on one machine.
const APP_PORT_BASE = Number(process.env.BENCH_APP_PORT ?? 3300);
const FAKE_PORT_BASE = Number(process.env.BENCH_FAKE_PORT ?? 4300);
let nextAppPort = APP_PORT_BASE;
let nextFakePort = FAKE_PORT_BASE;

export type Fake = FakeUpstream & { stop(): Promise<void> };

export async function startFake(): Promise<Fake> {
  const upstream = await startFakeUpstream({ host: "127.0.0.1", port: nextFakePort++ });
  return { ...upstream, stop: registerCleanup(() => upstream.close()) };
}

/**
 * How much of the machine a server gets beside the browser. "background": a lower priority
 * (nice 10, for its whole session where the kernel groups sessions), so that the page is served
 * first, as on a person's computer, where the app server and the provider are other machines;
 * they still have every cycle the page leaves. "equal": the same priority as the browser, as when
 * all of it shares one small machine.
 */
export type Priority = "background" | "equal";

const BACKGROUND_NICE = 10;

/** A spawn of `command` at `priority` (nice is inherited by every child it starts). */
function prioritised(priority: Priority, command: string, args: string[]): [string, string[]] {
  return priority === "background"
    ? ["nice", ["-n", String(BACKGROUND_NICE), command, ...args]]
    : [command, args];
}

/**
 * With the kernel's autogroups (sched_autogroup_enabled), a process's nice counts only against
 * its own session, and each session shares the CPU as a whole: a detached child (its own session)
 * needs its session's nice set too.
 */
async function prioritiseSession(pid: number, priority: Priority) {
  if (priority !== "background") return;
  try {
    await writeFile(`/proc/${pid}/autogroup`, String(BACKGROUND_NICE));
  } catch (error) {
    // No such file: a kernel without autogroups, where the process's own nice is enough.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

type Spawned = { child: ChildProcess; pid: number; output(): string; stop(): Promise<void> };

/**
 * Starts `command` detached (its own process group, so stopping it reaches the children it
 * starts, e.g. npm's sh and node) at `priority`, keeps the end of its output, and registers its
 * stop for cleanup (then `after`, e.g. removing its data folder).
 */
async function spawnServer(
  what: string,
  options: {
    cwd: string;
    command: string;
    args: string[];
    env: NodeJS.ProcessEnv;
    priority: Priority;
    after?: () => Promise<void>;
  },
): Promise<Spawned> {
  const [command, args] = prioritised(options.priority, options.command, options.args);
  const child = spawn(command, args, {
    cwd: options.cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: options.env,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${what} did not spawn`);
  liveGroups.add(pid);
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = registerCleanup(async () => {
    await stopGroup(child, pid);
    liveGroups.delete(pid);
    await options.after?.();
  });
  try {
    await prioritiseSession(pid, options.priority);
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, pid, output: () => output, stop };
}

/**
 * The fake upstream as a process of its own (the render benchmarks: the runner's process also
 * drives the browser), at `priority`.
 */
export async function startFakeProcess(root: string, priority: Priority): Promise<Fake> {
  const port = nextFakePort++;
  const fake = await spawnServer("the fake upstream", {
    cwd: root,
    command: "node",
    args: ["--import", "./scripts/register-ts.mjs", "e2e/fake-upstream/main.ts"],
    env: { ...process.env, FAKE_UPSTREAM_PORT: String(port) },
    priority,
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!fake.output().includes("listening on")) {
    if (fake.child.exitCode !== null || Date.now() > deadline) {
      await fake.stop();
      throw new Error(`the fake upstream did not start:\n${fake.output().slice(-2000)}`);
    }
    await sleep(100);
  }
  return { origin, baseURL: `${origin}/v1`, close: fake.stop, stop: fake.stop };
}

export type AppOptions = {
  root: string;
  fake: { baseURL: string };
  databaseUrl?: string;
  redisUrl?: string;
  /** Called with the fresh DATA_DIR before the server starts (e.g. to seed PGlite). */
  beforeStart?: (dataDir: string) => Promise<void>;
  env?: Record<string, string>;
  /** "equal" by default. */
  priority?: Priority;
};

export type AppServer = {
  origin: string;
  pid: number;
  dataDir: string;
  /** Output of the server so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
};

/** Starts the production build with `npm start` on its own port and DATA_DIR, limits off. */
export async function startApp(options: AppOptions): Promise<AppServer> {
  const port = nextAppPort++;
  const dataDir = await mkdtemp(path.join(tmpdir(), "thinkpane-bench-"));
  await options.beforeStart?.(dataDir);
  // Profiled: node itself, since Node 20 refuses --cpu-prof in NODE_OPTIONS.
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const priority = options.priority ?? "equal";
  const [command, args] = profileDir
    ? ["node", ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "scripts/start.mjs"]]
    : ["npm", ["start"]];
  const app = await spawnServer("npm start", {
    cwd: options.root,
    command,
    args,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: options.databaseUrl ?? "",
      REDIS_URL: options.redisUrl ?? "",
      AIMLAPI_API_KEY: "bench-dummy-key",
      AIMLAPI_BASE_URL: options.fake.baseURL,
      THINKPANE_PROVIDERS: "",
      ACCESS_CODES: "",
      RATE_LIMIT_REQUESTS_PER_MINUTE: "0",
      RATE_LIMIT_TOKENS_PER_DAY: "0",
      MAX_CONCURRENT_STREAMS_PER_USER: "0",
      MAX_CONCURRENT_STREAMS: "0",
      BUDGET_TOKENS_PER_DAY: "0",
      MAX_REQUEST_BYTES: "20000000",
      UPSTREAM_MAX_RETRIES: "0",
      ...options.env,
    },
    priority,
    after: () => rm(dataDir, { recursive: true, force: true }),
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(origin, app.child, app.output);
  } catch (error) {
    await app.stop();
    throw error;
  }
  return { origin, pid: app.pid, dataDir, output: app.output, stop: app.stop };
}

async function waitForHealth(origin: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`npm start exited (${child.exitCode}):\n${output().slice(-2000)}`);
    }
    const ok = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`app at ${origin} not healthy within 90 s:\n${output().slice(-2000)}`);
}

async function stopGroup(child: ChildProcess, pgid: number) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    return;
  }
  const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
  if (timedOut) {
    process.kill(-pgid, "SIGKILL");
    await exited;
  }
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export const round = (value: number, digits = 1) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/**
 * Runs `task(i)` for i in 0..count-1 with at most `concurrency` at once; tasks not started
 * within `limitMs` are skipped (left undefined), so a stuck server cannot hold a run forever.
 */
export async function pool<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
  limitMs = 300_000,
): Promise<(T | undefined)[]> {
  const results = new Array<T | undefined>(count).fill(undefined);
  const deadline = performance.now() + limitMs;
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** The chunks of a fetch body (the DOM typings of ReadableStream have no async iterator). */
export async function* bodyChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
