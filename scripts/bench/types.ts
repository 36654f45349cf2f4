/**
 * The contract between `npm run bench` (scripts/bench/run.ts) and each benchmark module in
 * scripts/bench/benchmarks/. A benchmark starts what it needs (app servers, the fake upstream,
 * Chromium) through scripts/bench/support.ts, measures, stops everything it started, and returns
 * sections of figures. The runner prints them as tables and writes bench/results.json.
 */

export type Figure = {
  /** What was measured, as a reader would say it: "first-token overhead p50 (50 concurrent)". */
  name: string;
  /** null when it could not be measured (say why in `note`). */
  value: number | string | null;
  /** "ms", "MB", "KB gzip", "streams/s", "%", "count"… */
  unit?: string;
  /** The target in words, e.g. "≤ 5 ms". */
  target?: string;
  /** Whether the target holds, when there is one. */
  met?: boolean;
  note?: string;
};

export type Section = { title: string; figures: Figure[] };

export type BenchContext = {
  /** The project root (absolute). */
  root: string;
  /** Fewer trials and shorter streams: a smoke run of the harness itself (`--quick`). */
  quick: boolean;
  /** Chromium to drive (CHROMIUM_PATH, default /usr/bin/chromium). */
  chromiumPath: string;
  /** PostgreSQL and Redis for the variants that need them; undefined skips those variants (said in a note). */
  databaseUrl?: string;
  redisUrl?: string;
  log(message: string): void;
};

export type Benchmark = {
  /** Short id for `npm run bench -- <id>` to run one benchmark alone: "proxy", "render"… */
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<Section[]>;
};
