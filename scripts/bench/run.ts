/**
 * `npm run bench [-- --quick] [--build] [ids…]`: builds the app when the build is missing or
 * older than the sources, runs the benchmarks in scripts/bench/benchmarks/, prints each section
 * as a table and writes bench/results.json. Exits non-zero when a benchmark failed (threw), not
 * when a target is missed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { format } from "prettier";
import { CHROMIUM_PATH } from "../../e2e/support/chromium";
import { cleanupAll } from "./support";
import type { Benchmark, BenchContext, Figure, Section } from "./types";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ORDER = ["proxy", "render", "compare", "first-load", "shares", "share-worst"];
const SOURCE_DIRS = ["app", "components", "lib", "public"];
const SOURCE_FILES = ["next.config.ts", "package.json", "proxy.ts", "instrumentation-client.ts"];

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const forceBuild = args.includes("--build");
const wanted = args.filter((a) => !a.startsWith("--"));

function newestSource(): number {
  let newest = 0;
  const visit = (p: string) => {
    const stat = statSync(p);
    if (stat.isDirectory()) for (const e of readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of [...SOURCE_DIRS, ...SOURCE_FILES].map((p) => path.join(ROOT, p))) {
    if (existsSync(p)) visit(p);
  }
  return newest;
}

function buildIfNeeded() {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  const stale = !existsSync(buildId) || statSync(buildId).mtimeMs < newestSource();
  if (!forceBuild && !stale) return;
  console.log(
    forceBuild ? "Building (--build)…" : "Build missing or older than sources: building…",
  );
  const result = spawnSync("npm", ["run", "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
}

async function loadBenchmarks(): Promise<Benchmark[]> {
  const dir = path.join(ROOT, "scripts", "bench", "benchmarks");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  const ids = files.map((f) => f.slice(0, -3));
  const rank = (id: string) => (ORDER.includes(id) ? ORDER.indexOf(id) : ORDER.length);
  ids.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const unknown = wanted.filter((id) => !ids.includes(id));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark(s) ${unknown.join(", ")}; have ${ids.join(", ")}`);
  const chosen = wanted.length > 0 ? ids.filter((id) => wanted.includes(id)) : ids;
  const modules = await Promise.all(
    chosen.map((id) => import(pathToFileURL(path.join(dir, `${id}.ts`)).href)),
  );
  return modules.map((m: { default: Benchmark }) => m.default);
}

/** A URL from the environment when its server answers on TCP, else undefined. */
async function reachable(url: string | undefined): Promise<string | undefined> {
  if (!url) return undefined;
  const { hostname, port, protocol } = new URL(url);
  const fallback = protocol.startsWith("redis") ? 6379 : 5432;
  const ok = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || fallback) });
    socket.setTimeout(2000, () => (socket.destroy(), resolve(false)));
    socket.once("connect", () => (socket.end(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
  return ok ? url : undefined;
}

function formatValue(f: Figure): string {
  if (f.value === null) return "—";
  if (typeof f.value === "number")
    return Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(1);
  return f.value;
}

function printSection(section: Section) {
  const rows = section.figures.map((f) => [
    f.name,
    formatValue(f),
    f.unit ?? "",
    f.target ?? "",
    f.met === undefined ? "" : f.met ? "✓" : "✗",
    f.note ?? "",
  ]);
  const header = ["figure", "value", "unit", "target", "met", "note"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  console.log(
    `\n## ${section.title}\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`,
  );
  for (const row of rows) console.log(line(row));
}

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  buildIfNeeded();
  const benchmarks = await loadBenchmarks();
  const ctx: BenchContext = {
    root: ROOT,
    quick,
    chromiumPath: CHROMIUM_PATH,
    databaseUrl: await reachable(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL),
    redisUrl: await reachable(process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL),
    log: (message) => console.log(`  · ${message}`),
  };
  const loadBefore = os.loadavg();
  const startedAt = new Date();
  const sections: (Section & { benchmark: string; durationMs: number })[] = [];
  let failed = 0;
  for (const benchmark of benchmarks) {
    console.log(`\n▶ ${benchmark.title} (${benchmark.id})${quick ? " — quick" : ""}`);
    const t0 = Date.now();
    let result: Section[];
    try {
      result = await benchmark.run(ctx);
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(message);
      result = [
        {
          title: benchmark.title,
          figures: [
            { name: "benchmark failed", value: null, met: false, note: message.split("\n")[0] },
          ],
        },
      ];
    } finally {
      // A benchmark that threw may have left servers behind.
      await cleanupAll();
    }
    for (const section of result) {
      printSection(section);
      sections.push({ ...section, benchmark: benchmark.id, durationMs: Date.now() - t0 });
    }
  }
  const results = {
    date: startedAt.toISOString(),
    quick,
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? null,
      memoryMB: Math.round(os.totalmem() / 2 ** 20),
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      loadavgBefore: loadBefore,
      loadavgAfter: os.loadavg(),
      commit: gitCommit(),
    },
    sections,
  };
  mkdirSync(path.join(ROOT, "bench"), { recursive: true });
  // Formatted as `prettier --check .` (the lint step) expects, since the file is committed.
  const json = await format(JSON.stringify(results), { parser: "json" });
  writeFileSync(path.join(ROOT, "bench", "results.json"), json);
  console.log(`\nWrote bench/results.json${failed ? `; ${failed} benchmark(s) failed` : ""}.`);
  return failed > 0 ? 1 : 0;
}

// An error outside any benchmark's promise (a stray event handler) still stops every server.
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.once(event, (error: unknown) => {
    console.error(error);
    void cleanupAll().finally(() => process.exit(1));
  });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping servers…`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(error);
    await cleanupAll();
    process.exit(1);
  },
);
