/**
 * Benchmark: Inspect on a 40,000-chunk turn. The fake upstream streams 20,000 reasoning and
 * 20,000 answer chunks; once the turn is saved, Inspect opens on it, shows its Chunks (every
 * line, in a virtual list), scrolls them from top to bottom with the mouse wheel, jumps to the
 * end and back with the keyboard, and shows the Timeline. Long tasks are counted from the click
 * on Inspect on; the target is none over 200 ms.
 */
import { chromium } from "@playwright/test";
import { FakeUpstreamControl, tag, uniqueKey } from "../../../e2e/fake-upstream/client";
import { stream } from "../../../e2e/fake-upstream/scenario";
import path from "node:path";
import { installProbe, summarise } from "../render/probe";
import { startProfile, stopProfile } from "../render/profile";
import { startServers } from "../render/servers";
import type { Benchmark, Figure, Section } from "../types";

const LONGEST_TARGET_MS = 200;
const now = () => performance.timeOrigin + performance.now();

const benchmark: Benchmark = {
  id: "inspect",
  title: "Inspect on a 40,000-chunk turn",
  async run(ctx): Promise<Section[]> {
    const half = ctx.quick ? 2_000 : 20_000;
    const servers = await startServers(ctx.root);
    const browser = await chromium.launch({
      executablePath: ctx.chromiumPath,
      args: ["--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    try {
      const control = new FakeUpstreamControl(servers.fake.origin);
      const key = uniqueKey("inspect");
      const pieces = (word: string) => Array.from({ length: half }, (_, i) => `${word}${i} `);
      await control.script(
        key,
        stream({ reasoning: pieces("r"), answer: pieces("a"), tokensPerSecond: 20_000 }),
      );
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(300_000);
      await page.addInitScript(installProbe);
      await page.goto(servers.app);
      ctx.log(`inspect: streaming a turn of ${(2 * half).toLocaleString("en")} chunks`);
      await page.getByRole("textbox", { name: "Message" }).fill(`${tag(key)} Go.`);
      await page.getByRole("button", { name: "Send" }).click();
      const turn = page.getByRole("article", { name: /^Assistant turn/ }).last();
      const inspect = turn.getByRole("button", { name: "Inspect" });
      await inspect.waitFor();
      // Let the chat finish drawing the turn: its own work is not Inspect's.
      await page.waitForTimeout(3_000);
      const [sent] = await control.requests(key);

      ctx.log("inspect: opening Inspect");
      const openedAt = now();
      await inspect.click();
      const dialog = page.getByRole("dialog", { name: "Inspect" });
      await dialog.getByRole("tab", { name: "Chunks" }).click();
      const count = dialog.getByRole("status", { name: "Chunk count" });
      await count.waitFor();
      const readyMs = now() - openedAt;
      const countText = (await count.textContent()) ?? "";

      ctx.log("inspect: scrolling the chunks");
      const list = dialog.getByRole("listbox", { name: "Chunks" });
      const box = await list.boundingBox();
      if (!box) throw new Error("the Chunks list is not on screen");
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      // BENCH_INSPECT_PROFILE=<dir>: a CPU profile of the scrolling, summarised in the log.
      const profileDir = process.env.BENCH_INSPECT_PROFILE;
      const cdp = profileDir ? await context.newCDPSession(page) : undefined;
      if (cdp) await startProfile(cdp);
      const scrollFrom = now();
      const total = await list.evaluate((el) => el.scrollHeight - el.clientHeight);
      const steps = ctx.quick ? 30 : 120;
      for (let i = 0; i < steps; i++) {
        await page.mouse.wheel(0, Math.ceil(total / steps));
        await page.waitForTimeout(16);
      }
      await list.focus();
      await page.keyboard.press("Home");
      await page.waitForTimeout(100);
      await page.keyboard.press("End");
      const done = list.getByRole("option").filter({ hasText: "data: [DONE]" });
      await done.waitFor({ timeout: 10_000 }).catch(() => undefined);
      await page.waitForTimeout(100);
      const lastRow = await list.getByRole("option").last().textContent();
      const scrollMs = now() - scrollFrom;
      if (cdp && profileDir) {
        const file = path.join(profileDir, "inspect-scroll.cpuprofile");
        ctx.log(`profile (${file}):\n${(await stopProfile(cdp, file)).join("\n")}`);
      }

      await dialog.getByRole("tab", { name: "Timeline" }).click();
      await dialog.getByRole("region", { name: "Marks" }).waitFor();
      await page.waitForTimeout(500);
      const probe = await page.evaluate(() => window.__probe);
      const opening = summarise(probe.longTasks, openedAt, scrollFrom);
      const scrolling = summarise(probe.longTasks, scrollFrom, scrollFrom + scrollMs);
      const all = summarise(probe.longTasks, openedAt, Infinity);
      await context.close();

      const label = `${(2 * half).toLocaleString("en")}-chunk turn`;
      const figures: Figure[] = [
        { name: "lines the fake upstream sent", value: sent?.sentLines ?? null, unit: "count" },
        {
          name: "chunks Inspect shows",
          value: countText,
          note: lastRow?.includes("[DONE]")
            ? "the last row is data: [DONE]"
            : `last row: ${lastRow}`,
        },
        {
          name: `open Inspect to Chunks listed (${label})`,
          value: Math.round(readyMs),
          unit: "ms",
        },
        {
          name: `longest task, open + scroll + timeline (${label})`,
          value: all.longestMs,
          unit: "ms",
          target: `≤ ${LONGEST_TARGET_MS} ms`,
          met: all.longestMs <= LONGEST_TARGET_MS,
        },
        {
          name: `long tasks > 50 ms opening (${label})`,
          value: opening.count,
          unit: "count",
          note: `longest ${opening.longestMs} ms`,
        },
        {
          name: `long tasks > 50 ms scrolling (${label})`,
          value: scrolling.count,
          unit: "count",
          note: `${steps} wheel steps + Home/End over ${Math.round(scrollMs)} ms; longest ${scrolling.longestMs} ms`,
        },
        {
          name: `long tasks > 50 ms in all (${label})`,
          value: all.count,
          unit: "count",
          note: `${all.totalMs} ms in total`,
        },
      ];
      for (const f of figures) ctx.log(`  ${f.name}: ${f.value ?? "—"} ${f.unit ?? ""}`);
      return [{ title: `Inspect on a ${label}`, figures }];
    } finally {
      await browser.close();
      await servers.stop();
    }
  },
};

export default benchmark;
