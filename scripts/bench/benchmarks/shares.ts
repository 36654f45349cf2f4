/**
 * Shared pages and history (issue 8, benchmark 4): with 10,000 conversations stored, the time to
 * first byte of `/s/<token>` for a short and a 50-turn snapshot (PGlite and PostgreSQL), the
 * page's HTML against the snapshot's size, and the time to open a 200-turn conversation at
 * `/c/<id>` in Chromium until its last turn is visible.
 */
import { chromium } from "@playwright/test";
import { createShare, importConversation, type ImportMessage } from "../chat-client";
import { seedPglite, seedPostgres } from "../seed";
import {
  bodyChunks,
  CHROMIUM_ARGS,
  onPostgres,
  percentile,
  round,
  startApp,
  startFake,
  type AppServer,
  type Fake,
} from "../support";
import type { BenchContext, Benchmark, Figure, Section } from "../types";

const STORED = 10_000;
const LAST_TURN_MARK = "End of the two-hundredth answer.";

/** One turn of realistic markdown: about 3.3 KB with its reasoning, so 50 turns ≈ 162 KiB. */
function turn(i: number, last = false): ImportMessage[] {
  const answer = [
    `## Step ${i + 1}: measuring before optimising`,
    `A profile tells you **where** the time goes; a guess tells you where you *think* it goes. Start with the request that users wait on, and measure it end to end before changing anything. The difference between p50 and p99 usually says more than either number alone, because the tail is where queues and collectors live.`,
    `- record the time to first byte and to the last byte\n- note the bytes sent, compressed and raw\n- repeat the run at least ${20 + i} times and keep the median`,
    `The cost grows like $O(n \\log n)$ for a sort of $n = ${1000 + i}$ items, so doubling the input costs a little more than twice as much. With caching, a repeated request costs $O(1)$ after the first.`,
    "```ts\nexport function p50(samples: number[]): number {\n  const sorted = [...samples].sort((a, b) => a - b);\n  return sorted[Math.floor(sorted.length / 2)] ?? NaN;\n}\n```",
    `### Why the tail matters\n\nWhen ${i + 2} requests arrive at once, the last one waits for all the others. A server that spends 100 ms of CPU on each can answer at most ten per second per core, and the queue grows whenever more arrive. Caching a response that never changes removes that work entirely; compressing it shrinks what the network has to carry. Both are cheap to try and easy to measure, so try them before rewriting anything.`,
    `Keep in mind that the browser pays for every byte twice: once to download it and once to parse and run it. On a phone, ${100 + i} KB of JavaScript can take longer to run than to download, which is why the budget counts compressed bytes but the profile counts milliseconds. A page that only displays text needs almost none of it.`,
    `1. Render the page once and keep the HTML.\n2. Send it compressed, with a strong \`ETag\`.\n3. Load only the JavaScript that the page needs to be interactive.\n4. Measure again, with the same ${20 + i} repetitions.`,
    `| measure | before | after |\n| --- | --- | --- |\n| p50 | ${40 + i} ms | ${10 + (i % 7)} ms |\n| bytes | 1.1 MB | 240 KB |`,
    last ? LAST_TURN_MARK : `Next, step ${i + 2} looks at what happens under load.`,
  ].join("\n\n");
  const reasoning = `The user asks about step ${i + 1}. I should explain how to measure first, give a small code example, a table of before and after, and mention complexity with inline math. Keep it practical: percentiles, bytes, repetitions. Avoid guessing; show how to find the slow part with a profiler and how to confirm the fix with the same measurement afterwards. The user probably runs a web server with a database behind it, so the advice should cover both the rendering and the queries, and explain why the p99 is worth watching as closely as the median. I could also mention that a page which never changes can be rendered once and cached, that compression matters when there is no reverse proxy in front, and that the JavaScript sent to the browser should be only what the page needs. Let me structure it: heading, why, a list, the complexity, code, the table, and a pointer to the next step. One more thing: numbers without the machine they came from mean little, so I will suggest writing down the cores, the memory and the load next to every figure.`;
  return [
    {
      role: "user",
      parts: [{ type: "text", text: `What is step ${i + 1} of making a page fast?` }],
    },
    {
      role: "assistant",
      parts: [
        { type: "reasoning", text: reasoning },
        { type: "text", text: answer },
      ],
    },
  ];
}

const conversation = (turns: number) =>
  Array.from({ length: turns }, (_, i) => turn(i, i === turns - 1)).flat();

/** Time to the first byte of the body and the whole page's bytes, for `count` sequential visits. */
async function ttfb(url: string, count: number): Promise<{ ttfb: number[]; htmlBytes: number }> {
  const samples: number[] = [];
  let htmlBytes = 0;
  for (let i = 0; i < count + 3; i++) {
    const started = performance.now();
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok || !response.body) throw new Error(`${url} answered HTTP ${response.status}`);
    let first: number | undefined;
    let bytes = 0;
    for await (const chunk of bodyChunks(response.body)) {
      first ??= performance.now() - started;
      bytes += chunk.byteLength;
    }
    // The first three visits warm the server up and are not counted.
    if (i >= 3 && first !== undefined) samples.push(first);
    htmlBytes = bytes;
  }
  return { ttfb: samples, htmlBytes };
}

/** The snapshot's size as stored: the conversation's JSON export, compact, without its header. */
async function snapshotBytes(server: AppServer, cookie: string, id: string): Promise<number> {
  const response = await fetch(`${server.origin}/api/conversations/${id}/export?format=json`, {
    headers: { cookie },
  });
  if (!response.ok) throw new Error(`export answered HTTP ${response.status}`);
  const {
    format: _format,
    version: _version,
    ...snapshot
  } = (await response.json()) as Record<string, unknown>;
  return Buffer.byteLength(JSON.stringify(snapshot));
}

async function openConversation(
  ctx: BenchContext,
  server: AppServer,
  trials: number,
): Promise<number[]> {
  const { id, cookie } = await importConversation(
    server.origin,
    undefined,
    "A long conversation",
    conversation(200),
  );
  const browser = await chromium.launch({ executablePath: ctx.chromiumPath, args: CHROMIUM_ARGS });
  try {
    const times: number[] = [];
    for (let i = 0; i < trials; i++) {
      const context = await browser.newContext();
      const [name, value] = cookie.split("=") as [string, string];
      await context.addCookies([{ name, value, url: server.origin }]);
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${server.origin}/c/${id}`, { waitUntil: "commit" });
      await page.getByText(LAST_TURN_MARK).waitFor({ state: "visible", timeout: 60_000 });
      times.push(performance.now() - started);
      await context.close();
    }
    return times;
  } finally {
    await browser.close();
  }
}

async function measure(
  ctx: BenchContext,
  server: AppServer,
  label: string,
  seedMs: number,
): Promise<Section> {
  const visits = ctx.quick ? 20 : 100;
  const figures: Figure[] = [
    {
      name: `seeding ${STORED} conversations`,
      value: round(seedMs / 1000),
      unit: "s",
      note: "bulk insert through the app's schema",
    },
  ];
  for (const [name, turns] of [
    ["short", 1],
    ["50-turn", 50],
  ] as const) {
    const { id, cookie } = await importConversation(
      server.origin,
      undefined,
      `A ${name} conversation`,
      conversation(turns),
    );
    const token = await createShare(server.origin, cookie, id);
    const result = await ttfb(`${server.origin}/s/${token}`, visits);
    const snapshot = await snapshotBytes(server, cookie, id);
    const p50 = percentile(result.ttfb, 50);
    figures.push(
      {
        name: `TTFB p50, ${name} share`,
        value: round(p50),
        unit: "ms",
        target: "≤ 50 ms",
        met: p50 <= 50,
        note: `${visits} sequential visits`,
      },
      { name: `TTFB p99, ${name} share`, value: round(percentile(result.ttfb, 99)), unit: "ms" },
      {
        name: `HTML / snapshot, ${name} share`,
        value: `${round(result.htmlBytes / 1024)} / ${round(snapshot / 1024)}`,
        unit: "KiB",
        target: "HTML ≤ about 2×",
        met: result.htmlBytes <= 2.2 * snapshot,
        note: `${round(result.htmlBytes / snapshot, 2)}× (snapshot as stored)`,
      },
    );
  }
  const opens = await openConversation(ctx, server, ctx.quick ? 1 : 3);
  figures.push({
    name: "open a 200-turn conversation (last turn visible)",
    value: round(percentile(opens, 50)),
    unit: "ms",
    note: `median of ${opens.length} in Chromium, fresh context each`,
  });
  return { title: `Shared pages and history — ${label}`, figures };
}

async function variant(
  ctx: BenchContext,
  fake: Fake,
  label: string,
  databaseUrl?: string,
): Promise<Section> {
  let seedMs = 0;
  const seed = async (run: () => Promise<void>) => {
    ctx.log(`${label}: seeding ${STORED} conversations`);
    const started = performance.now();
    await run();
    seedMs = performance.now() - started;
  };
  if (databaseUrl) await seed(() => seedPostgres(ctx.root, databaseUrl, STORED));
  const server = await startApp({
    root: ctx.root,
    fake,
    databaseUrl,
    beforeStart: databaseUrl
      ? undefined
      : (dataDir) => seed(() => seedPglite(ctx.root, dataDir, STORED)),
  });
  try {
    return await measure(ctx, server, label, seedMs);
  } finally {
    await server.stop();
  }
}

const benchmark: Benchmark = {
  id: "shares",
  title: "Shared pages and history",
  async run(ctx) {
    const fake = await startFake();
    try {
      const pglite = await variant(ctx, fake, "PGlite");
      const postgres = await onPostgres(ctx, "Shared pages and history — PostgreSQL", false, (db) =>
        variant(ctx, fake, "PostgreSQL", db.databaseUrl),
      );
      return [pglite, postgres];
    } finally {
      await fake.stop();
    }
  },
};

export default benchmark;
