/**
 * Proxy overhead (issue 8, benchmark 1): the same scripted stream timed through `POST /api/chat`
 * and straight to the fake upstream, side by side, at 1, 50 and 200 concurrent streams, plus
 * saturation with short streams; the server's CPU per turn and its memory before, at peak and
 * after. On PGlite, and on PostgreSQL + Redis when they are reachable.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { FakeUpstreamControl, uniqueKey } from "../../../e2e/fake-upstream/client";
import { stream } from "../../../e2e/fake-upstream/scenario";
import { appTurn, directTurn, importConversation, type TurnResult } from "../chat-client";
import {
  onPostgres,
  percentile,
  pool,
  round,
  samplePeakRss,
  startApp,
  startFake,
  treeUsage,
  type AppServer,
  type Fake,
} from "../support";
import type { BenchContext, Benchmark, Figure, Section } from "../types";

/** A phase starts no new stream after this; each stream has its own timeout (chat-client.ts). */
const PHASE_LIMIT_MS = 180_000;
const NOT_STARTED = "not started within the phase's time limit";

type Level = { name: string; concurrency: number; count: number; tokens: number; delayMs: number };

function levels(quick: boolean): Level[] {
  // 400 tokens at 5 ms each: 200 tokens/s, 2 s per stream, as a fast provider streams.
  const tokens = quick ? 100 : 400;
  return [
    { name: "1 at a time", concurrency: 1, count: quick ? 5 : 20, tokens, delayMs: 5 },
    { name: "50 concurrent", concurrency: 50, count: quick ? 50 : 200, tokens, delayMs: 5 },
    { name: "200 concurrent", concurrency: 200, count: quick ? 200 : 400, tokens, delayMs: 5 },
    { name: "saturation", concurrency: 50, count: quick ? 100 : 400, tokens: 80, delayMs: 0 },
  ];
}

/** Words of an ordinary answer, one token per delta; half reasoning, half answer. */
function tokens(count: number): { reasoning: string[]; answer: string[] } {
  const words =
    "the proxy forwards each delta of the stream to the browser as soon as it arrives".split(" ");
  const all = Array.from({ length: count }, (_, i) => ` ${words[i % words.length]}`);
  return { reasoning: all.slice(0, count / 2), answer: all.slice(count / 2) };
}

type Phase = { results: TurnResult[]; wallMs: number; cpuMs?: number };

async function runPhase(
  level: Level,
  turn: () => Promise<TurnResult>,
  server?: AppServer,
): Promise<Phase> {
  const cpuBefore = server ? treeUsage(server.pid).cpuMs : 0;
  const started = performance.now();
  const results = (await pool(level.count, level.concurrency, turn, PHASE_LIMIT_MS)).map(
    (r): TurnResult => r ?? { ok: false, error: NOT_STARTED },
  );
  const wallMs = performance.now() - started;
  return server
    ? { results, wallMs, cpuMs: treeUsage(server.pid).cpuMs - cpuBefore }
    : { results, wallMs };
}

const ok = (phase: Phase) => phase.results.flatMap((r) => (r.ok ? [r] : []));
const failures = (phase: Phase) => phase.results.filter((r) => !r.ok);
const rate = (phase: Phase) => (ok(phase).length * 1000) / phase.wallMs;

function levelFigures(level: Level, app: Phase, direct: Phase): Figure[] {
  const first = (p: Phase, q: number) =>
    percentile(
      ok(p).map((r) => r.firstTokenMs),
      q,
    );
  const total = (p: Phase, q: number) =>
    percentile(
      ok(p).map((r) => r.totalMs),
      q,
    );
  const strict = level.concurrency <= 50 && level.delayMs > 0;
  const over50 = first(app, 50) - first(direct, 50);
  const over99 = first(app, 99) - first(direct, 99);
  const share = (rate(app) / rate(direct)) * 100;
  const failed = failures(app);
  const n = `(${level.name})`;
  const figures: Figure[] = [
    {
      name: `first-token overhead p50 ${n}`,
      value: round(over50),
      unit: "ms",
      ...(strict ? { target: "≤ 5 ms", met: over50 <= 5 } : {}),
      note: `app ${round(first(app, 50))}, direct ${round(first(direct, 50))}`,
    },
    {
      name: `first-token overhead p99 ${n}`,
      value: round(over99),
      unit: "ms",
      ...(strict ? { target: "≤ 15 ms", met: over99 <= 15 } : {}),
      note: `app ${round(first(app, 99))}, direct ${round(first(direct, 99))}`,
    },
    {
      name: `total time p50 app / direct ${n}`,
      value: `${round(total(app, 50))} / ${round(total(direct, 50))}`,
      unit: "ms",
    },
    {
      name: `total time p99 app / direct ${n}`,
      value: `${round(total(app, 99))} / ${round(total(direct, 99))}`,
      unit: "ms",
    },
    {
      name: `throughput app / direct ${n}`,
      value: `${round(rate(app))} / ${round(rate(direct))}`,
      unit: "streams/s",
    },
    {
      name: `throughput through the app ${n}`,
      value: round(share),
      unit: "% of direct",
      ...(level.concurrency === 200 ? { target: "≥ 95 %", met: share >= 95 } : {}),
    },
    {
      name: `failures ${n}`,
      value: failed.length,
      unit: `of ${level.count}`,
      ...(level.concurrency === 200 ? { target: "0", met: failed.length === 0 } : {}),
      note: failed[0] && !failed[0].ok ? failed[0].error : undefined,
    },
  ];
  if (failures(direct).length > 0) {
    figures.push({
      name: `direct failures ${n}`,
      value: failures(direct).length,
      unit: `of ${level.count}`,
      note: "the load generator or fake upstream is the limit",
    });
  }
  // Over every turn the server took on, finished or not, so that failures do not inflate it.
  const started = app.results.filter((r) => r.ok || r.error !== NOT_STARTED).length;
  const cpuPerTurn = (app.cpuMs ?? 0) / Math.max(1, started);
  figures.push({
    name: `server CPU per turn ${n}`,
    value: round(cpuPerTurn),
    unit: "ms",
    target: "≤ 10 ms",
    met: cpuPerTurn <= 10,
    note: `${round(app.cpuMs ?? 0, 0)} ms over ${started} turns`,
  });
  return figures;
}

async function variant(
  ctx: BenchContext,
  fake: Fake,
  label: string,
  db?: { databaseUrl: string; redisUrl?: string },
): Promise<Section> {
  const control = new FakeUpstreamControl(fake.origin);
  const server = await startApp({ root: ctx.root, fake, ...db });
  try {
    const idle = treeUsage(server.pid).rssMB;
    // One anonymous owner per 10 streams, as separate browsers would be.
    const owners = await pool(
      20,
      5,
      async (i) =>
        (
          await importConversation(server.origin, undefined, `owner ${i}`, [
            { role: "user", parts: [{ type: "text", text: "hello" }] },
          ])
        ).cookie,
    );
    const warm = uniqueKey("warm");
    await control.script(warm, stream({ ...tokens(20), delayMs: 0 }));
    await pool(40, 10, (i) => appTurn(server.origin, owners[i % owners.length] as string, warm));
    await control.reset(warm);
    const baseline = treeUsage(server.pid).rssMB;

    const figures: Figure[] = [];
    const peak = samplePeakRss(server.pid);
    for (const level of levels(ctx.quick)) {
      ctx.log(`${label}: ${level.name}, ${level.count} streams of ${level.tokens} tokens`);
      const key = uniqueKey("proxy");
      await control.script(key, stream({ ...tokens(level.tokens), delayMs: level.delayMs }));
      const direct = await runPhase(level, () => directTurn(fake.baseURL, key));
      let i = 0;
      const app = await runPhase(
        level,
        () => appTurn(server.origin, owners[i++ % owners.length] as string, key),
        server,
      );
      await control.reset(key);
      if (failures(app).length > 0) ctx.log(`server output:\n${server.output().slice(-1500)}`);
      figures.push(...levelFigures(level, app, direct));
    }
    const peakMB = peak.stop();
    const settleS = ctx.quick ? 10 : 60;
    ctx.log(`${label}: waiting ${settleS} s for memory to settle`);
    await sleep(settleS * 1000);
    const after = treeUsage(server.pid).rssMB;
    const within = ((after - baseline) / baseline) * 100;
    figures.push(
      {
        name: "RSS idle after start",
        value: round(idle),
        unit: "MB",
        ...(db ? {} : { target: "≤ 300 MB", met: idle <= 300 }),
      },
      { name: "RSS after warm-up (baseline)", value: round(baseline), unit: "MB" },
      { name: "RSS at peak", value: round(peakMB), unit: "MB" },
      {
        name: `RSS ${settleS} s after load`,
        value: round(after),
        unit: "MB",
        target: "within 10 % of baseline",
        met: within <= 10,
        note: `${within >= 0 ? "+" : ""}${round(within)} %`,
      },
    );
    return { title: `Proxy overhead — ${label}`, figures };
  } finally {
    await server.stop();
  }
}

const benchmark: Benchmark = {
  id: "proxy",
  title: "Proxy overhead",
  async run(ctx) {
    const fake = await startFake();
    try {
      const pglite = await variant(ctx, fake, "PGlite");
      const postgres = await onPostgres(ctx, "Proxy overhead — PostgreSQL + Redis", true, (db) =>
        variant(ctx, fake, "PostgreSQL + Redis", db),
      );
      return [pglite, postgres];
    } finally {
      await fake.stop();
    }
  },
};

export default benchmark;
