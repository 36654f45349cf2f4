/**
 * First-load JavaScript (issue 8, benchmark 3): what a first visit to `/`, `/c/<id>` and
 * `/s/<token>` downloads in Chromium, in gzip bytes (computed locally, deterministic), raw and
 * on the wire, with the five biggest chunks of each route and a guess at what they hold.
 */
import { chromium, type Browser } from "@playwright/test";
import { createShare, importConversation } from "../chat-client";
import {
  BUDGETS,
  TARGETS,
  KB,
  measureFirstLoad,
  SAMPLE_CONVERSATION,
  type FirstLoad,
} from "../first-load-js";
import { CHROMIUM_ARGS, round, startApp, startFake } from "../support";
import type { Benchmark, Figure, Section } from "../types";

const kb = (bytes: number) => round(bytes / KB);

async function visit(browser: Browser, url: string, cookie?: string): Promise<FirstLoad> {
  const context = await browser.newContext();
  try {
    if (cookie) {
      const [name, value] = cookie.split("=") as [string, string];
      await context.addCookies([{ name, value, url }]);
    }
    return await measureFirstLoad(await context.newPage(), url);
  } finally {
    await context.close();
  }
}

function routeSection(load: FirstLoad, label: string, budget: number, target?: number): Section {
  const compressed = load.wire < load.raw * 0.6;
  const figures: Figure[] = [
    {
      name: "JavaScript, gzip",
      value: kb(load.gzip),
      unit: "KB",
      ...(target ? { target: `≤ ${target / KB} KB`, met: load.gzip <= target } : {}),
      note: `${load.chunks.length} scripts; npm test's budget ${budget / KB} KB`,
    },
    { name: "JavaScript, raw", value: kb(load.raw), unit: "KB" },
    {
      name: "JavaScript on the wire",
      value: kb(load.wire),
      unit: "KB",
      target: "compressed",
      met: compressed,
      note: `content-encoding: ${[...new Set(load.chunks.map((c) => c.encoding ?? "none"))].join(", ")}`,
    },
    ...load.chunks.slice(0, 5).map((chunk, i) => ({
      name: `#${i + 1} ${chunk.path.replace(/^\/_next\/static\/chunks\//, "")}`,
      value: kb(chunk.gzip),
      unit: "KB gzip",
      note: chunk.holds.length > 0 ? chunk.holds.join(", ") : "(no known package)",
    })),
  ];
  return { title: `First-load JavaScript — ${label}`, figures };
}

const benchmark: Benchmark = {
  id: "first-load",
  title: "First-load JavaScript",
  async run(ctx) {
    const fake = await startFake();
    const server = await startApp({ root: ctx.root, fake });
    const browser = await chromium.launch({
      executablePath: ctx.chromiumPath,
      args: CHROMIUM_ARGS,
    });
    try {
      const { id, cookie } = await importConversation(
        server.origin,
        undefined,
        "Summing a list",
        SAMPLE_CONVERSATION,
      );
      const token = await createShare(server.origin, cookie, id);
      ctx.log(`conversation ${id}, share ${token}`);
      const home = await visit(browser, `${server.origin}/`);
      const conversation = await visit(browser, `${server.origin}/c/${id}`, cookie);
      const share = await visit(browser, `${server.origin}/s/${token}`);
      return [
        routeSection(home, "/", BUDGETS.home, TARGETS.home),
        routeSection(conversation, "/c/<id>", BUDGETS.conversation),
        routeSection(share, "/s/<token>", BUDGETS.share, TARGETS.share),
      ];
    } finally {
      await browser.close();
      await server.stop();
      await fake.stop();
    }
  },
};

export default benchmark;
