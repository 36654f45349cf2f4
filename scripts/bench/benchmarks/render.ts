/**
 * Benchmark 2: rendering a long stream in Chromium. One turn of 20k reasoning + 20k answer
 * tokens of generated markdown, streamed by the fake upstream at 300 and 3,000 tokens/s (and at
 * 3,000 with 4× CPU throttling): long tasks during the turn and the display lag at its end.
 * Then a 50-turn conversation, imported, and typing in the composer: the delay of each key.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { FakeUpstreamControl, tag, uniqueKey } from "../../../e2e/fake-upstream/client";
import { generateMarkdown } from "../../../e2e/fake-upstream/markdown";
import { stream } from "../../../e2e/fake-upstream/scenario";
import {
  describeLongTasks,
  displayLag,
  installProbe,
  summarise,
  type ProbeState,
} from "../render/probe";
import { startProfile, stopProfile, TRACE_CATEGORIES } from "../render/profile";
import { startServers, type Servers } from "../render/servers";
import type { BenchContext, Benchmark, Figure, Section } from "../types";

const REASONING_END = "Reasoningdonezq";
const ANSWER_END = "Answerdonezq";
/** After the last token is on screen, the turn's own finishing work still counts. */
const SETTLE_MS = 2_000;
/** How long the prompt takes to type, as far as the page can tell (it is filled at once). */
const TYPING_MS = 2_000;

type StreamRun = { rate: number; throttle: number };

const round = (n: number) => Math.round(n);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function openPlayground(browser: Browser, url: string, throttle: number) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  // Before the fixes, a long conversation took minutes to open.
  page.setDefaultTimeout(300_000);
  await page.addInitScript(installProbe);
  const cdp = await context.newCDPSession(page);
  await page.goto(url);
  await page.getByRole("textbox", { name: "Message" }).waitFor();
  if (throttle > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  return { page, cdp, close: () => context.close() };
}

const probeOf = (page: Page) => page.evaluate(() => window.__probe);

/** Waits until the page had no long task for a second (at most two minutes). */
async function quiet(page: Page) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const lastEnd = await page.evaluate(() =>
      Math.max(0, ...window.__probe.longTasks.map((t) => t.at + t.duration)),
    );
    if (performance.timeOrigin + performance.now() - lastEnd > 1_000) return;
    await page.waitForTimeout(250);
  }
}

async function streamOnce(
  ctx: BenchContext,
  servers: Servers,
  browser: Browser,
  { rate, throttle }: StreamRun,
): Promise<Figure[]> {
  const tokens = ctx.quick ? 2_000 : 20_000;
  const reasoning = generateMarkdown({ tokens, seed: 1, kind: "reasoning", end: REASONING_END });
  const answer = generateMarkdown({ tokens, seed: 2, kind: "answer", end: ANSWER_END });
  const control = new FakeUpstreamControl(servers.fake.origin);
  const key = uniqueKey("render");
  await control.script(key, stream({ reasoning, answer, tokensPerSecond: rate }));

  const streamSeconds = (reasoning.length + answer.length) / rate;
  const timeoutMs = Number(process.env.BENCH_RENDER_TIMEOUT_S ?? 240) * 1000;
  const { page, cdp, close } = await openPlayground(browser, servers.app, throttle);
  const profileFile = process.env.BENCH_RENDER_PROFILE
    ? path.join(process.env.BENCH_RENDER_PROFILE, `render-${rate}-x${throttle}.cpuprofile`)
    : undefined;
  try {
    await page.evaluate((watch) => (window.__probe.watch = watch), [REASONING_END, ANSWER_END]);
    await page.getByRole("textbox", { name: "Message" }).fill(`${tag(key)} Think hard.`);
    // As after a person has typed, which takes seconds: the page has loaded what typing preloads
    // (the markdown renderer), so the figures are the stream's, not the renderer's first load.
    await page.waitForTimeout(TYPING_MS);
    if (profileFile) await startProfile(cdp);
    // BENCH_RENDER_TRACE=<dir>: a Chromium performance trace of the turn (as BENCH_COMPARE_TRACE).
    const traceFile = process.env.BENCH_RENDER_TRACE
      ? path.join(process.env.BENCH_RENDER_TRACE, `render-${rate}-x${throttle}.trace.json`)
      : undefined;
    if (traceFile) {
      await mkdir(path.dirname(traceFile), { recursive: true });
      await browser.startTracing(page, { path: traceFile, categories: TRACE_CATEGORIES });
    }
    const sentAt = performance.timeOrigin + performance.now();
    await page.getByRole("button", { name: "Send" }).click();
    let complete = true;
    await page
      .waitForFunction(
        (watch) => watch.every((w) => window.__probe.seen[w]),
        [REASONING_END, ANSWER_END],
        { timeout: streamSeconds * 1000 + timeoutMs, polling: 1_000 },
      )
      .catch(() => (complete = false));
    await page.waitForTimeout(SETTLE_MS);
    if (traceFile) await browser.stopTracing();
    if (profileFile && cdp) {
      const lines = await stopProfile(cdp, profileFile);
      ctx.log(`profile ${rate} tokens/s ×${throttle} (${profileFile}):\n${lines.join("\n")}`);
    }
    const probe: ProbeState = await probeOf(page);
    const [record] = await control.requests(key);
    // The answer ends with the stream's last byte; the reasoning with its last event, midway.
    const lag = displayLag(probe, ANSWER_END, record?.completedAt);
    const reasoningLag = displayLag(probe, REASONING_END, record?.reasoningSentAt);
    const endAt = Math.max(...Object.values(probe.seen).map((s) => s.frame), sentAt) + SETTLE_MS;
    const tasks = summarise(probe.longTasks, sentAt, complete ? endAt : Infinity);
    for (const line of describeLongTasks(probe, sentAt, "Send")) ctx.log(line);
    const label = `${rate.toLocaleString("en")} tokens/s${throttle > 1 ? `, ${throttle}× CPU throttling` : ""}`;
    const behind = complete
      ? undefined
      : `not all on screen ${timeoutMs / 1000} s after the stream`;
    const strict = rate >= 3_000;
    const maxTasks = throttle > 1 ? 5 : 0;
    return [
      {
        name: `display lag, answer (${label})`,
        value: lag,
        unit: "ms",
        ...(strict && throttle === 1 ? { target: "≤ 100 ms", met: (lag ?? Infinity) <= 100 } : {}),
        note: behind,
      },
      { name: `display lag, reasoning (${label})`, value: reasoningLag, unit: "ms", note: behind },
      {
        name: `long tasks > 50 ms (${label})`,
        value: tasks.count,
        unit: "count",
        ...(strict ? { target: `≤ ${maxTasks}`, met: complete && tasks.count <= maxTasks } : {}),
      },
      { name: `long tasks total (${label})`, value: tasks.totalMs, unit: "ms" },
      { name: `longest task (${label})`, value: tasks.longestMs, unit: "ms" },
    ];
  } finally {
    await close();
  }
}

/** A long conversation, imported, then typing in the composer. */
async function typing(ctx: BenchContext, servers: Servers, browser: Browser): Promise<Figure[]> {
  const turns = 50;
  const perTurn = Number(process.env.BENCH_RENDER_TURN_TOKENS ?? (ctx.quick ? 500 : 4_000));
  const messages = Array.from({ length: turns }, (_, i) => [
    { role: "user", parts: [{ type: "text", text: `Question ${i + 1}` }] },
    {
      role: "assistant",
      parts: [
        {
          type: "reasoning",
          text: generateMarkdown({ tokens: perTurn, seed: 10 + i, kind: "reasoning" }).join(""),
        },
        {
          type: "text",
          text: generateMarkdown({
            tokens: perTurn,
            seed: 100 + i,
            end: i === turns - 1 ? ANSWER_END : undefined,
          }).join(""),
        },
      ],
    },
  ]).flat();
  const { page, close } = await openPlayground(browser, servers.app, 1);
  try {
    const response = await page.request.post(`${servers.app}/api/conversations/import`, {
      data: { format: "thinkpane.conversation", version: 1, title: "Long", messages },
    });
    if (response.status() !== 201) throw new Error(`import failed: ${await response.text()}`);
    const { id } = (await response.json()) as { id: string };
    const openedAt = performance.timeOrigin + performance.now();
    await page.goto(`${servers.app}/c/${id}`);
    await page.evaluate((end) => (window.__probe.watch = [end]), ANSWER_END);
    const composer = page.getByRole("textbox", { name: "Message" });
    await composer.click();
    await quiet(page);
    const typedAt = performance.timeOrigin + performance.now();
    await composer.pressSequentially("How does this compare with the first answer?", { delay: 60 });
    await page.waitForTimeout(500);
    const probe = await probeOf(page);
    const keys = probe.keys.filter((k) => k.at >= typedAt);
    const load = summarise(probe.longTasks, openedAt, typedAt);
    const during = summarise(probe.longTasks, typedAt, Infinity);
    const label = `${turns} turns of ${perTurn.toLocaleString("en")} + ${perTurn.toLocaleString("en")} tokens`;
    return [
      {
        name: `key press input delay p95 (${label})`,
        value: round(
          percentile(
            keys.map((k) => k.delay),
            95,
          ),
        ),
        unit: "ms",
      },
      {
        name: `key press input delay max (${label})`,
        value: round(Math.max(0, ...keys.map((k) => k.delay))),
        unit: "ms",
        target: "small (≤ 50 ms)",
        met: keys.length > 0 && keys.every((k) => k.delay <= 50),
      },
      {
        name: `key press to next frame p95 (${label})`,
        value: round(
          percentile(
            keys.map((k) => k.toFrame),
            95,
          ),
        ),
        unit: "ms",
      },
      { name: `long tasks while typing (${label})`, value: during.count, unit: "count" },
      {
        name: `long tasks opening it (${label})`,
        value: load.count,
        unit: "count",
        note: `${load.totalMs} ms in total, longest ${load.longestMs} ms`,
      },
    ];
  } finally {
    await close();
  }
}

const benchmark: Benchmark = {
  id: "render",
  title: "Rendering a long stream",
  async run(ctx): Promise<Section[]> {
    const servers = await startServers(ctx.root);
    const browser = await chromium.launch({
      executablePath: ctx.chromiumPath,
      args: ["--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    try {
      // BENCH_RENDER_RUNS=3000x1 streams one turn at 3,000 tokens/s unthrottled; empty, none.
      const runs: StreamRun[] = (process.env.BENCH_RENDER_RUNS ?? "300x1,3000x1,3000x4")
        .split(",")
        .filter((run) => run !== "")
        .map((s) => s.split("x").map(Number))
        .map(([rate = 3_000, throttle = 1]) => ({ rate, throttle }));
      const figures: Figure[] = [];
      for (const run of runs) {
        ctx.log(`render: ${run.rate} tokens/s, throttling ×${run.throttle}`);
        const measured = await streamOnce(ctx, servers, browser, run);
        // Each run can take minutes on slow code: say what it found as soon as it has.
        for (const f of measured) ctx.log(`  ${f.name}: ${f.value ?? "—"} ${f.unit ?? ""}`);
        figures.push(...measured);
      }
      const sections: Section[] = [
        { title: "One turn of 20k reasoning + 20k answer tokens", figures },
      ];
      if (process.env.BENCH_RENDER_TYPING !== "0") {
        ctx.log("render: typing in a 50-turn conversation");
        sections.push({
          title: "Typing in a long conversation",
          figures: await typing(ctx, servers, browser),
        });
      }
      return sections;
    } finally {
      await browser.close();
      await servers.stop();
    }
  },
};

export default benchmark;
