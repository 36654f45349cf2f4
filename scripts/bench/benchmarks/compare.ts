/**
 * Compare: four columns, each streaming 5,000 reasoning + 5,000 answer tokens of generated
 * markdown at 750 tokens/s (3,000 tokens/s on the page in all), measured as the render
 * benchmark measures one playground turn: the display lag of each column's last token after the
 * fake upstream flushed it, and long tasks over 50 ms from Run until the page settles.
 *
 * Twice: first with the app server and the fake upstream in the background (a lower priority,
 * as on a person's computer, where they are other machines), then at the browser's priority (as
 * when all of it shares this small machine). The page does the same work in both (its CPU time
 * is printed); what differs is how long its frames wait for a core.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium } from "@playwright/test";
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
import { startServers } from "../render/servers";
import type { Priority } from "../support";
import type { BenchContext, Benchmark, Figure, Section } from "../types";

const COLUMNS = 4;
const RATE = 750;
const SETTLE_MS = 2_000;

const SETTINGS: { priority: Priority; title: string }[] = [
  { priority: "background", title: "Four compare columns at once, servers in the background" },
  { priority: "equal", title: "Four compare columns at once, servers at the browser's priority" },
];

const benchmark: Benchmark = {
  id: "compare",
  title: "Compare: four columns streaming at once",
  async run(ctx): Promise<Section[]> {
    const sections: Section[] = [];
    // BENCH_COMPARE_PRIORITY=background|equal: one setting only (a quicker loop while tuning).
    const only = process.env.BENCH_COMPARE_PRIORITY;
    if (only && !SETTINGS.some((s) => s.priority === only))
      throw new Error(`BENCH_COMPARE_PRIORITY must be background or equal, not ${only}`);
    for (const { priority, title } of SETTINGS.filter((s) => !only || s.priority === only)) {
      ctx.log(title);
      sections.push({ title, figures: await measure(ctx, priority) });
    }
    return sections;
  },
};

async function measure(ctx: BenchContext, priority: Priority): Promise<Figure[]> {
  const servers = await startServers(ctx.root, priority);
  const browser = await chromium.launch({
    executablePath: ctx.chromiumPath,
    args: ["--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const tokens = ctx.quick ? 1_000 : 5_000;
  // One step a request: each column gets its own end markers, so each column's lag is its own.
  const ends = Array.from({ length: COLUMNS }, (_, i) => ({
    reasoning: `Reasoningdonezq${i}`,
    answer: `Answerdonezq${i}`,
  }));
  const control = new FakeUpstreamControl(servers.fake.origin);
  const key = uniqueKey("compare");
  await control.script(key, {
    type: "sequence",
    steps: ends.map((end, i) =>
      stream({
        reasoning: generateMarkdown({
          tokens,
          seed: 1 + i,
          kind: "reasoning",
          end: end.reasoning,
        }),
        answer: generateMarkdown({ tokens, seed: 20 + i, kind: "answer", end: end.answer }),
        tokensPerSecond: RATE,
      }),
    ),
  });
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    await page.addInitScript(installProbe);
    await page.goto(`${servers.app}/compare`);
    await page.getByRole("button", { name: "Add column" }).click();
    await page.getByRole("region", { name: `Column ${COLUMNS}` }).waitFor();
    const watch = ends.flatMap((e) => [e.reasoning, e.answer]);
    await page.evaluate((w) => (window.__probe.watch = w), watch);
    await page
      .getByRole("textbox", { name: "Prompt", exact: true })
      .fill(`${tag(key)} Think hard.`);
    // As after a person has typed a prompt: the page has loaded what it preloads when idle (the
    // markdown renderer), so the figures are the stream's, not the page's first load.
    await page.waitForLoadState("networkidle");
    // BENCH_RENDER_PROFILE=<dir>: a CPU profile of the run, as the render benchmark takes one.
    const profileFile = process.env.BENCH_RENDER_PROFILE
      ? path.join(process.env.BENCH_RENDER_PROFILE, `compare-${priority}.cpuprofile`)
      : undefined;
    const cdp = profileFile ? await context.newCDPSession(page) : undefined;
    if (cdp) await startProfile(cdp);
    // BENCH_COMPARE_TRACE=<dir>: a Chromium performance trace of each run (style, layout, paint
    // and scripts per task), for chrome://tracing or the DevTools Performance panel.
    const traceFile = process.env.BENCH_COMPARE_TRACE
      ? path.join(process.env.BENCH_COMPARE_TRACE, `compare-${priority}.trace.json`)
      : undefined;
    if (traceFile) {
      await mkdir(path.dirname(traceFile), { recursive: true });
      await browser.startTracing(page, { path: traceFile, categories: TRACE_CATEGORIES });
    }
    // The page's CPU time (thread ticks, not wall time): steadier than long tasks on a busy
    // machine, where a frame that waits for a core counts as long.
    const metrics = await context.newCDPSession(page);
    await metrics.send("Performance.enable", { timeDomain: "threadTicks" });
    const cpu = async () =>
      Object.fromEntries(
        (await metrics.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]),
      );
    const cpuBefore = await cpu();
    const sentAt = performance.timeOrigin + performance.now();
    await page.getByRole("button", { name: "Run" }).click();
    const streamSeconds = (2 * tokens) / RATE;
    let complete = true;
    await page
      .waitForFunction((w) => w.every((x) => window.__probe.seen[x]), watch, {
        timeout: streamSeconds * 1000 + 60_000,
        polling: 1_000,
      })
      .catch(() => (complete = false));
    await page.waitForTimeout(SETTLE_MS);
    const cpuAfter = await cpu();
    const cpuMs = (name: string) =>
      Math.round(((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0)) * 1000);
    if (traceFile) await browser.stopTracing();
    if (process.env.BENCH_COMPARE_SCREENSHOT)
      await page.screenshot({ path: process.env.BENCH_COMPARE_SCREENSHOT, fullPage: true });
    if (cdp && profileFile)
      ctx.log(`profile (${profileFile}):\n${(await stopProfile(cdp, profileFile)).join("\n")}`);
    const probe: ProbeState = await page.evaluate(() => window.__probe);
    const missing = watch.filter((w) => !probe.seen[w]);
    if (missing.length > 0) ctx.log(`  never on screen: ${missing.join(", ")}`);
    const requests = [...(await control.requests(key))].sort((a, b) => a.id - b.id);
    // Request i took step i, and so carries markers i. The answer ends with the stream's last
    // byte; the reasoning with its last event, midway through.
    const lags = ends.map((end, i) => displayLag(probe, end.answer, requests[i]?.completedAt));
    const reasoningLags = ends.map((end, i) =>
      displayLag(probe, end.reasoning, requests[i]?.reasoningSentAt),
    );
    const worstOf = (all: (number | null)[]) =>
      all.some((l) => l === null) ? null : Math.max(...(all as number[]));
    const worst = worstOf(lags);
    const worstReasoning = worstOf(reasoningLags);
    const endAt = Math.max(...Object.values(probe.seen).map((s) => s.frame), sentAt) + SETTLE_MS;
    const tasks = summarise(probe.longTasks, sentAt, complete ? endAt : Infinity);
    const streamEnd = Math.max(...requests.map((r) => r.completedAt ?? 0));
    ctx.log(`  the streams ended ${Math.round(streamEnd - sentAt)} ms after Run`);
    for (const line of describeLongTasks(probe, sentAt, "Run")) ctx.log(line);
    const label = `${COLUMNS} columns × ${tokens.toLocaleString("en")} + ${tokens.toLocaleString("en")} tokens at ${RATE} tokens/s`;
    const figures: Figure[] = [
      {
        name: `display lag, worst column's answer (${label})`,
        value: worst,
        unit: "ms",
        target: "≤ 100 ms",
        met: worst !== null && worst <= 100,
        note: `per column: ${lags.map((l) => l ?? "—").join(", ")} ms${complete ? "" : "; not all on screen"}`,
      },
      {
        name: `display lag, worst column's reasoning (${label})`,
        value: worstReasoning,
        unit: "ms",
        note: `per column: ${reasoningLags.map((l) => l ?? "—").join(", ")} ms`,
      },
      {
        name: `long tasks > 50 ms (${label})`,
        value: tasks.count,
        unit: "count",
        target: "0",
        met: complete && tasks.count === 0,
      },
      { name: `long tasks total (${label})`, value: tasks.totalMs, unit: "ms" },
      { name: `longest task (${label})`, value: tasks.longestMs, unit: "ms" },
      {
        name: `page main thread CPU, Run to settled (${label})`,
        value: cpuMs("TaskDuration"),
        unit: "ms",
        note: `script ${cpuMs("ScriptDuration")}, style ${cpuMs("RecalcStyleDuration")}, layout ${cpuMs("LayoutDuration")} ms; renderer process ${cpuMs("ProcessTime")} ms`,
      },
    ];
    for (const f of figures) ctx.log(`  ${f.name}: ${f.value ?? "—"} ${f.unit ?? ""}`);
    return figures;
  } finally {
    await context.close();
    await browser.close();
    await servers.stop();
  }
}

export default benchmark;
