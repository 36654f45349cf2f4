/**
 * Compare: four columns, each streaming 5,000 reasoning + 5,000 answer tokens of generated
 * markdown at 750 tokens/s (3,000 tokens/s on the page in all), measured as the render
 * benchmark measures one playground turn: the display lag of each column's last token after the
 * fake upstream flushed it, and long tasks over 50 ms from Run until the page settles.
 */
import path from "node:path";
import { chromium } from "@playwright/test";
import { FakeUpstreamControl, tag, uniqueKey } from "../../../e2e/fake-upstream/client";
import { generateMarkdown } from "../../../e2e/fake-upstream/markdown";
import { stream } from "../../../e2e/fake-upstream/scenario";
import { installProbe, summarise, type ProbeState } from "../render/probe";
import { startProfile, stopProfile } from "../render/profile";
import { startServers } from "../render/servers";
import type { Benchmark, Figure, Section } from "../types";

const COLUMNS = 4;
const RATE = 750;
const SETTLE_MS = 2_000;

const benchmark: Benchmark = {
  id: "compare",
  title: "Compare: four columns streaming at once",
  async run(ctx): Promise<Section[]> {
    const servers = await startServers(ctx.root);
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
        ? path.join(process.env.BENCH_RENDER_PROFILE, "compare.cpuprofile")
        : undefined;
      const cdp = profileFile ? await context.newCDPSession(page) : undefined;
      if (cdp) await startProfile(cdp);
      // BENCH_COMPARE_TRACE=<file>: a Chromium performance trace of the run (style, layout,
      // paint and scripts per task), for chrome://tracing or the DevTools Performance panel.
      const traceFile = process.env.BENCH_COMPARE_TRACE;
      if (traceFile)
        await browser.startTracing(page, {
          path: traceFile,
          categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"],
        });
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
      if (traceFile) await browser.stopTracing();
      if (process.env.BENCH_COMPARE_SCREENSHOT)
        await page.screenshot({ path: process.env.BENCH_COMPARE_SCREENSHOT, fullPage: true });
      if (cdp && profileFile)
        ctx.log(`profile (${profileFile}):\n${(await stopProfile(cdp, profileFile)).join("\n")}`);
      const probe: ProbeState = await page.evaluate(() => window.__probe);
      const missing = watch.filter((w) => !probe.seen[w]);
      if (missing.length > 0) ctx.log(`  never on screen: ${missing.join(", ")}`);
      const requests = [...(await control.requests(key))].sort((a, b) => a.id - b.id);
      // Request i took step i, and so carries markers i.
      const lags = ends.map((end, i) => {
        const lastByte = requests[i]?.completedAt;
        const seen = probe.seen[end.answer];
        return seen && lastByte ? Math.round(seen.dom - lastByte) : null;
      });
      const worst = lags.some((l) => l === null) ? null : Math.max(...(lags as number[]));
      const endAt = Math.max(...Object.values(probe.seen).map((s) => s.frame), sentAt) + SETTLE_MS;
      const tasks = summarise(probe.longTasks, sentAt, complete ? endAt : Infinity);
      const streamEnd = Math.max(...requests.map((r) => r.completedAt ?? 0));
      ctx.log(
        `  long tasks (ms after Run: duration), stream ended at ${Math.round(streamEnd - sentAt)}: ` +
          probe.longTasks
            .filter((t) => t.at >= sentAt)
            .map((t) => `${Math.round(t.at - sentAt)}: ${Math.round(t.duration)}`)
            .join(", "),
      );
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
          name: `long tasks > 50 ms (${label})`,
          value: tasks.count,
          unit: "count",
          target: "0",
          met: complete && tasks.count === 0,
        },
        { name: `long tasks total (${label})`, value: tasks.totalMs, unit: "ms" },
        { name: `longest task (${label})`, value: tasks.longestMs, unit: "ms" },
      ];
      for (const f of figures) ctx.log(`  ${f.name}: ${f.value ?? "—"} ${f.unit ?? ""}`);
      return [{ title: "Four compare columns at once", figures }];
    } finally {
      await context.close();
      await browser.close();
      await servers.stop();
    }
  },
};

export default benchmark;
