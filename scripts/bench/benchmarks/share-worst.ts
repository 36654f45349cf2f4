/**
 * The worst shared page the limits allow (issue 10, acceptance 3): one import as large as
 * MAX_IMPORT_BYTES takes (8 MB by default), every text as long as lib/snapshot-html still
 * typesets (PAGE_LIMITS.markdownText) and as expensive as text gets (display and inline
 * math, tables, code blocks, footnotes, nested lists), reasoning likewise. Measured over HTTP
 * against the started app: the uncached view (time to the whole response on a fresh token, which
 * the page cache has not seen), the page's HTML bytes, and the cached view (repeated visits).
 */
import { get } from "node:http";
import { createShare, importConversation, type ImportMessage } from "../chat-client";
import { percentile, round, startApp, startFake } from "../support";
import type { Benchmark, Figure } from "../types";

/** Under the default MAX_IMPORT_BYTES (8,000,000), with room for the JSON around the texts. */
const IMPORT_BUDGET = 7_800_000;
/**
 * Just under the longest text lib/snapshot-html typesets (PAGE_LIMITS.markdownText, 7,500;
 * budget.ts is server-only): longer
 * texts show as plain text, which costs less.
 */
const TEXT = 7_400;

/** One block of the markdown that costs the most per byte: math, tables, code, footnotes. */
function block(i: number): string {
  return [
    `### Part ${i}: $\\sum_{k=1}^{${i}} \\frac{k^2}{\\sqrt{k+1}}$`,
    `$$\\int_0^{${i}} \\frac{e^{-x^2}}{1+x^{${i % 7}}}\\,dx = \\lim_{n\\to\\infty}\\sum_{j=1}^{n} \\binom{n}{j} x_j^{${i}}$$`,
    `Inline $a_{${i}}^2 + b^2 = c^2$, $\\alpha\\beta\\gamma$, $\\mathbb{R}^{${i}}$ and $\\frac{1}{${i}}$[^n${i}].`,
    `| a | b | c | d |\n| --- | --- | --- | --- |\n| $x^${i}$ | **${i}** | \`c${i}\` | _d_ |\n| $y_${i}$ | ~~s~~ | [l](https://example.com/${i}) | e |`,
    "```ts\nconst x = [1, 2, 3].map((n) => n ** 2).reduce((a, b) => a + b, 0);\n```",
    `- one\n  - two $z_${i}$\n    - three **bold** *em*\n1. first\n2. second`,
    `[^n${i}]: Footnote ${i} with $m_${i}$.`,
  ].join("\n\n");
}

function longText(max: number, offset: number): string {
  let out = "";
  for (let i = offset; ; i++) {
    const next = `${block(i)}\n\n`;
    if (out.length + next.length > max) return out;
    out += next;
  }
}

/** Turns until the import is as large as it may be. */
function worstConversation(): ImportMessage[] {
  const messages: ImportMessage[] = [];
  let bytes = 0;
  for (let turn = 0; ; turn++) {
    const pair: ImportMessage[] = [
      { role: "user", parts: [{ type: "text", text: longText(TEXT, turn * 1000) }] },
      {
        role: "assistant",
        parts: [
          { type: "reasoning", text: longText(TEXT, turn * 1000 + 500) },
          { type: "text", text: longText(TEXT, turn * 1000 + 100) },
        ],
      },
    ];
    const size = Buffer.byteLength(JSON.stringify(pair));
    if (bytes + size > IMPORT_BUDGET) return messages;
    bytes += size;
    messages.push(...pair);
  }
}

/**
 * The time to the last byte of the body, and its bytes as sent. As a browser asks (gzip: the
 * server compresses each view), or with `identity`, which leaves compression out and so shows
 * the rest of the server's work. Read with node:http, which leaves the body as sent: fetch would
 * inflate it on the same two cores and count that too.
 */
function view(
  url: string,
  encoding: "gzip" | "identity" = "gzip",
): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { "accept-encoding": encoding } }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`${url} answered HTTP ${response.statusCode}`));
        return;
      }
      let bytes = 0;
      response.on("data", (chunk: Buffer) => (bytes += chunk.byteLength));
      response.on("end", () => resolve({ ms: performance.now() - started, bytes }));
      response.on("error", reject);
    });
    request.setTimeout(60_000, () => request.destroy(new Error(`${url} took over 60 s`)));
    request.on("error", reject);
  });
}

const benchmark: Benchmark = {
  id: "share-worst",
  title: "The worst shared page",
  async run(ctx) {
    const fake = await startFake();
    const server = await startApp({ root: ctx.root, fake });
    try {
      const messages = worstConversation();
      const importBytes = Buffer.byteLength(JSON.stringify(messages));
      ctx.log(`share-worst: importing ${messages.length} messages, ${round(importBytes / 1e6)} MB`);
      const { id, cookie } = await importConversation(
        server.origin,
        undefined,
        "The worst case",
        messages,
      );
      // Each link is a fresh token: its first view renders the page.
      const fresh = ctx.quick ? 3 : 8;
      const tokens: string[] = [];
      for (let i = 0; i < fresh; i++) tokens.push(await createShare(server.origin, cookie, id));
      // One warm-up view of another link, so that the first figure is not the server's start.
      await view(`${server.origin}/s/${await createShare(server.origin, cookie, id)}`);
      const uncached: number[] = [];
      let gzipBytes = 0;
      for (const token of tokens) {
        const result = await view(`${server.origin}/s/${token}`);
        uncached.push(result.ms);
        gzipBytes = Math.max(gzipBytes, result.bytes);
      }
      const htmlBytes = (await view(`${server.origin}/s/${tokens[0]}`, "identity")).bytes;
      const cached: number[] = [];
      const identity: number[] = [];
      const visits = ctx.quick ? 50 : 300;
      for (let i = 0; i < visits; i++) {
        cached.push((await view(`${server.origin}/s/${tokens[0]}`)).ms);
        identity.push((await view(`${server.origin}/s/${tokens[0]}`, "identity")).ms);
      }
      const uncachedMax = Math.max(...uncached);
      const cachedP50 = percentile(cached, 50);
      const cachedP99 = percentile(cached, 99);
      const identityP50 = percentile(identity, 50);
      const identityP99 = percentile(identity, 99);
      const figures: Figure[] = [
        {
          name: "import",
          value: `${messages.length} messages, ${round(importBytes / 1e6, 2)} MB`,
          note: "math, tables, code, footnotes; every text just under PAGE_LIMITS.markdownText",
        },
        {
          name: "uncached view p50 (fresh token, whole response)",
          value: round(percentile(uncached, 50)),
          unit: "ms",
          target: "< 500 ms",
          met: percentile(uncached, 50) < 500,
          note: `${fresh} fresh tokens`,
        },
        {
          name: "uncached view max",
          value: round(uncachedMax),
          unit: "ms",
          target: "< 500 ms",
          met: uncachedMax < 500,
        },
        {
          name: "HTML",
          value: round(htmlBytes / 1e6, 3),
          unit: "MB",
          target: "< 2 MB",
          met: htmlBytes < 2_000_000,
          note: `${round(gzipBytes / 1e6, 3)} MB as sent gzip-compressed`,
        },
        {
          name: "cached view p50, server's work (identity)",
          value: round(identityP50, 1),
          unit: "ms",
          target: "< 20 ms",
          met: identityP50 < 20,
          note: `${visits} sequential visits`,
        },
        {
          name: "cached view p99, server's work (identity)",
          value: round(identityP99, 1),
          unit: "ms",
          target: "< 20 ms",
          met: identityP99 < 20,
        },
        {
          name: "cached view p50, as a browser asks (gzip)",
          value: round(cachedP50, 1),
          unit: "ms",
          note: "Next.js compresses each view (a route handler cannot send a body it encoded)",
        },
        {
          name: "cached view p99, as a browser asks (gzip)",
          value: round(cachedP99, 1),
          unit: "ms",
        },
      ];
      return [{ title: "The worst shared page", figures }];
    } finally {
      await server.stop();
      await fake.stop();
    }
  },
};

export default benchmark;
