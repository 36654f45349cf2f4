/**
 * The JavaScript a first visit to a page downloads, counted in bytes: every script response the
 * browser receives until the network is idle, with its raw size, its gzip size (computed here
 * with zlib's default level, so the figure is deterministic whatever the server sends) and the
 * bytes actually transferred. Shared by `npm run bench -- first-load` and e2e/size-budget.spec.ts.
 */
import { gzipSync } from "node:zlib";
import type { Page, Response } from "@playwright/test";

export type Chunk = {
  path: string;
  raw: number;
  gzip: number;
  /** Body bytes on the wire; equals `raw` when the server does not compress. */
  wire: number;
  encoding: string | null;
  /** Packages the chunk seems to hold, by the strings they leave in minified code. */
  holds: string[];
};

export type FirstLoad = { route: string; chunks: Chunk[]; raw: number; gzip: number; wire: number };

/** Strings that survive minification, per package; a guess, good enough to name a chunk. */
const MARKERS: [string, RegExp][] = [
  ["react-dom", /react-dom|__reactContainer|Minified React error/g],
  ["next", /__NEXT_|next-router|_next\/static/g],
  ["streamdown", /streamdown/gi],
  ["shiki", /shiki/gi],
  ["katex", /katex/gi],
  ["mermaid", /mermaid/gi],
  ["zod", /\$Zod|ZodError|_zod\b/g],
  ["ai", /vercel\.ai\.|ai-sdk|UIMessage/g],
  ["radix", /radix/gi],
  ["zustand", /zustand/gi],
  ["lucide", /lucide/gi],
];

export function guessContents(source: string): string[] {
  return MARKERS.map(([name, pattern]) => [name, source.match(pattern)?.length ?? 0] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name]) => name);
}

async function readChunk(response: Response): Promise<Chunk | undefined> {
  // Redirects and failures carry no script.
  if (response.status() !== 200) return undefined;
  const body = await response.body();
  const sizes = await response.request().sizes();
  return {
    path: new URL(response.url()).pathname,
    raw: body.length,
    gzip: gzipSync(body).length,
    wire: sizes.responseBodySize,
    encoding: (await response.headerValue("content-encoding")) ?? null,
    holds: guessContents(body.toString("utf8")),
  };
}

/** Opens `url` in `page` (a fresh context: nothing cached) and counts its script downloads. */
export async function measureFirstLoad(page: Page, url: string): Promise<FirstLoad> {
  const pending: Promise<Chunk | undefined>[] = [];
  const onResponse = (response: Response) => {
    if (response.request().resourceType() !== "script") return;
    // Read now, while the page is open; a failure surfaces in Promise.all below.
    const chunk = readChunk(response);
    chunk.catch(() => undefined);
    pending.push(chunk);
  };
  page.on("response", onResponse);
  // `url` may be a path, resolved against the context's baseURL.
  const response = await page.goto(url, { waitUntil: "networkidle" });
  if (!response?.ok()) throw new Error(`${url} answered HTTP ${response?.status() ?? "nothing"}`);
  // Chunks loaded by hydration (lazy components) may start after the first idle moment: wait
  // until half a second passes without a new script.
  let seen = -1;
  while (seen !== pending.length) {
    seen = pending.length;
    await Promise.all(pending);
    await page.waitForTimeout(500);
  }
  page.off("response", onResponse);
  const chunks = (await Promise.all(pending)).filter((c): c is Chunk => c !== undefined);
  const sum = (key: "raw" | "gzip" | "wire") => chunks.reduce((n, c) => n + c[key], 0);
  return {
    route: new URL(page.url()).pathname,
    chunks: chunks.sort((a, b) => b.gzip - a.gzip),
    raw: sum("raw"),
    gzip: sum("gzip"),
    wire: sum("wire"),
  };
}

/** 1 KB = 1024 bytes here, as in the figures. */
export const KB = 1024;

/** Issue 8's targets for first-load JavaScript, gzip bytes (none was set for a conversation). */
export const TARGETS = { home: 250 * KB, share: 120 * KB } as const;

/**
 * What `npm test` holds each route to (e2e/size-budget.spec.ts): a route that grows past its
 * budget fails. The shared snapshot's budget is its target; the playground's two routes are
 * held at their size when the budgets were set (home: 317 KB against a 250 KB target, with the
 * AI SDK's client code the largest part; a conversation also loads the markdown renderer), so
 * that they can only shrink until the target is met. See README, Performance. View code, Inspect
 * and presets load their dialogs on first use; with their buttons, the preset picker and the
 * turn's recorded-request source a conversation measured 620.0 KB, hence 624 KB there (issue 9).
 * Issue 11 put the response format control (with its provider's schema enforcement) in the
 * panel, the schema check's loader in each turn and the comparisons in the sidebar: 324.3 and
 * 625.6 KB measured, the JSON schema editor, the schema check view and Compare itself loading on
 * use; hence 326 and 628 KB. Issue 12 put the Tools group (its controls and Add tool form), the
 * function calls block and the version switcher in: 333.1 and 634.7 KB measured; then its
 * Compare tools, shared tool choice select, the rounds of a tool loop's answer and Inspect's
 * requests: 334.1 and 636.1 KB; hence 335 and 637 KB. Loading the tool form on first use was
 * tried and made `/` larger (334.2 KB: the loader outweighs the form).
 */
export const BUDGETS = { home: 335 * KB, conversation: 637 * KB, share: TARGETS.share } as const;

/** A conversation with the markdown a real one has: a list, code and inline math. */
export const SAMPLE_CONVERSATION = [
  {
    role: "user" as const,
    parts: [{ type: "text" as const, text: "How do I sum a list in Python?" }],
  },
  {
    role: "assistant" as const,
    parts: [
      { type: "reasoning" as const, text: "The user wants a sum; `sum()` is the idiom." },
      {
        type: "text" as const,
        text: "Use the built-in:\n\n```python\ntotal = sum([1, 2, 3])\n```\n\n- it takes any iterable\n- the sum of $n$ numbers is $\\sum_{i=1}^{n} x_i$\n",
      },
    ],
  },
];
