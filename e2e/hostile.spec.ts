import type { BrowserContext, Locator, Page } from "@playwright/test";
import { answered, ask, expect, test } from "./fixtures";
import { sequence, stream } from "./fake-upstream/scenario";
import { hostileCorpus, type HostilePayload } from "./hostile-corpus";

/**
 * Model output is hostile input. Every payload in the corpus is streamed as an answer; in the
 * chat and on a shared page (a fresh browser without cookies) nothing may run, nothing may be
 * fetched from another host, and nothing may navigate away.
 */

declare global {
  interface Window {
    __pwned?: unknown;
    __cspViolations?: string[];
  }
}

const marker = (p: HostilePayload) => `Payload ${p.id}:`;

/** Ordinary payloads in turns of about a dozen; each open-ended one closes a turn; heavy ones share a turn. */
function turns(): HostilePayload[][] {
  const ordinary = hostileCorpus.filter((p) => !p.heavy && !p.unclosed);
  const unclosed = hostileCorpus.filter((p) => p.unclosed);
  const heavy = hostileCorpus.filter((p) => p.heavy);
  const size = Math.ceil(ordinary.length / Math.max(unclosed.length, 1));
  const batches = unclosed.map((open, i) => [...ordinary.slice(i * size, (i + 1) * size), open]);
  return [...batches, heavy];
}

/** Splits text into streamed pieces, cutting constructs in half the way a real stream does. */
function pieces(batch: HostilePayload[]): string[] {
  return batch.flatMap((p) => {
    const text = `${marker(p)}\n\n${p.markdown}\n\n`;
    const size = text.length > 60_000 ? 50_000 : Math.ceil(text.length / 3);
    const out: string[] = [];
    for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
    return out;
  });
}

type Watch = { external: string[]; dialogs: string[]; popups: string[] };

/** Records (and blocks) every request to another host, dialogs and new windows, in a context. */
async function watch(context: BrowserContext): Promise<Watch> {
  const seen: Watch = { external: [], dialogs: [], popups: [] };
  await context.route(
    (url) => url.hostname !== "127.0.0.1",
    async (route) => {
      seen.external.push(route.request().url());
      await route.abort();
    },
  );
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations!.push(
        `${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} (${e.disposition})`,
      );
    });
  });
  const onPage = (page: Page) => {
    page.on("dialog", (dialog) => {
      seen.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on("websocket", (ws) => {
      if (new URL(ws.url()).hostname !== "127.0.0.1") seen.external.push(ws.url());
    });
  };
  context.pages().forEach(onPage);
  context.on("page", (page) => {
    if (context.pages().length > 1) seen.popups.push(page.url());
    onPage(page);
  });
  return seen;
}

/** Elements and attributes that model output must never produce, found anywhere under `root`. */
async function forbiddenMarkup(root: Locator): Promise<string[]> {
  return root.evaluateAll((roots) => {
    const bannedTags = new Set(
      "script iframe frame frameset object embed applet img picture source video audio track link meta base form input style template noscript image use foreignobject animate set".split(
        " ",
      ),
    );
    const fetchingAttributes = new Set(
      "src srcset srcdoc action formaction data poster background ping xlink:href codebase lowsrc dynsrc".split(
        " ",
      ),
    );
    const problems: string[] = [];
    for (const element of roots.flatMap((r) => [r, ...r.querySelectorAll("*")])) {
      const tag = element.localName.toLowerCase();
      if (bannedTags.has(tag)) problems.push(`<${tag}>`);
      for (const { name, value } of [...element.attributes]) {
        const attr = name.toLowerCase();
        if (attr.startsWith("on")) problems.push(`<${tag} ${attr}>`);
        if (fetchingAttributes.has(attr)) problems.push(`<${tag} ${attr}="${value}">`);
        if (attr === "href" && !(tag === "a" && /^(https?:|mailto:|#)/i.test(value)))
          problems.push(`<${tag} href="${value}">`);
        if (attr === "style" && /url\s*\(|@import|expression\s*\(/i.test(value))
          problems.push(`<${tag} style="${value}">`);
        if ((attr === "id" || attr === "name") && value === "__pwned")
          problems.push(`<${tag} ${attr}="__pwned">`);
      }
      if (tag === "a" && element.getAttribute("target") === "_blank") {
        const rel = element.getAttribute("rel") ?? "";
        if (!/\bnoopener\b|\bnoreferrer\b/.test(rel))
          problems.push(`<a target=_blank rel="${rel}">`);
      }
    }
    return problems;
  });
}

/** Clicks every link in the answers that does not lead to a web page or mail; returns their hrefs. */
async function clickNonWebLinks(answers: Locator): Promise<string[]> {
  const links = answers.locator("a[href]");
  const hrefs = await links.evaluateAll((all) => all.map((a) => a.getAttribute("href") ?? ""));
  const clicked: string[] = [];
  for (const [i, href] of hrefs.entries()) {
    if (/^(https?:|mailto:)/i.test(href)) continue;
    await links.nth(i).click();
    clicked.push(href);
  }
  return clicked;
}

async function expectUnharmed(page: Page, seen: Watch, path: string) {
  const state = await page.evaluate(() => ({
    pwned: typeof window.__pwned,
    violations: window.__cspViolations ?? ["listener missing"],
  }));
  expect(state.pwned).toBe("undefined");
  expect(state.violations).toEqual([]);
  expect(seen.dialogs).toEqual([]);
  expect(seen.external).toEqual([]);
  expect(seen.popups).toEqual([]);
  expect(new URL(page.url()).pathname).toBe(path);
}

const normalise = (text: string) => text.replace(/\s+/g, " ");

/**
 * Payloads whose text is missing from a pane: every payload's marker, and the text it is meant to
 * show, must be there, so that a payload swallowed whole cannot pass as harmless.
 */
function missingText(texts: string[], batches: HostilePayload[][]): string[] {
  return batches.flatMap((batch, i) =>
    batch.flatMap((payload) =>
      [marker(payload), payload.shows ?? ""]
        .filter((text) => !texts[i]!.includes(normalise(text)))
        .map((text) => `${payload.id}: ${text.slice(0, 80)}`),
    ),
  );
}

/**
 * The page never scrolls sideways: anything too wide scrolls or wraps inside its own message. On
 * failure, lists the outermost elements that stick out of the viewport unclipped by their message.
 */
async function expectNoPageOverflow(page: Page) {
  const overflow = await page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    // Clipped within its own message: a scrolling conversation list does not count.
    const clipped = (element: Element): boolean => {
      for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
        if (getComputedStyle(e).overflowX !== "visible") return true;
        if (e.localName === "article") return false;
      }
      return false;
    };
    const offenders = [...document.body.querySelectorAll("*")]
      .filter((e) => e.getBoundingClientRect().right > viewport + 1 && !clipped(e))
      .filter((e, _, all) => !all.includes(e.parentElement!))
      .slice(0, 5)
      .map((e) => `<${e.localName} class="${e.getAttribute("class") ?? ""}">`);
    return { scrollWidth: document.documentElement.scrollWidth, viewport, offenders };
  });
  expect(overflow.offenders).toEqual([]);
  expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.viewport);
}

/** Checks every turn of a conversation showing the corpus, in the chat or on a shared page. */
async function expectCorpusRenderedHarmlessly(
  page: Page,
  seen: Watch,
  batches: HostilePayload[][],
) {
  const path = new URL(page.url()).pathname;
  const assistantTurns = page.getByRole("article", { name: /^Assistant turn/ });
  await expect(assistantTurns).toHaveCount(batches.length);
  const answers = assistantTurns.getByRole("region", { name: "Answer" });
  const reasoning = assistantTurns.getByRole("region", { name: "Reasoning" });
  // Rendered markdown, not the plain-text placeholder shown while the renderer loads. A shared
  // page typesets while its page budget lasts (lib/snapshot-html/budget.ts), so there the first
  // texts are typeset and later ones may show as source.
  if (path.startsWith("/s/")) await expect(page.locator("main .katex").first()).toBeVisible();
  else {
    await expect(answers.locator(".katex").first()).toBeVisible();
    await expect(reasoning.locator(".katex").first()).toBeVisible();
  }

  // One read per pane for all turns: with the heavy payloads on the page, every call is slow.
  const answerTexts = (await answers.allTextContents()).map(normalise);
  const reasoningTexts = (await reasoning.allTextContents()).map(normalise);
  expect(missingText(answerTexts, batches)).toEqual([]);
  expect(missingText(reasoningTexts, batches)).toEqual([]);
  // Raw HTML is shown as the characters the model wrote.
  expect(answerTexts[0]).toContain("<script>window.__pwned=1");
  expect(reasoningTexts[0]).toContain("<script>window.__pwned=1");

  expect(await forbiddenMarkup(assistantTurns)).toEqual([]);
  const clicked = [...(await clickNonWebLinks(answers)), ...(await clickNonWebLinks(reasoning))];
  // Only in-page anchors (footnotes) may lead anywhere but the web or mail.
  expect(clicked.length).toBeGreaterThan(0);
  for (const href of clicked) expect(href).toMatch(/^#[\w-]+$/);
  await expectNoPageOverflow(page);
  await expectUnharmed(page, seen, path);
}

test("hostile model output runs nothing and loads nothing, in the chat and on a shared page", async ({
  page,
  browser,
  scenario,
  consoleErrors,
}) => {
  test.setTimeout(60_000);
  const batches = turns();
  const seen = await watch(page.context());
  await scenario.script(
    sequence(
      ...batches.map((batch) =>
        stream({
          // The reasoning pane renders model output too.
          reasoning: pieces(batch),
          answer: pieces(batch),
          delayMs: 0,
        }),
      ),
    ),
  );

  await page.goto("/");
  for (const [i, batch] of batches.entries()) {
    await ask(page, `Hostile batch ${i + 1} ${scenario.tag}`);
    await answered(page, marker(batch[0]!), { timeout: 15_000 });
  }
  await expectCorpusRenderedHarmlessly(page, seen, batches);
  // The huge line has not pushed the composer out of reach.
  await expect(page.getByRole("textbox", { name: "Message" })).toBeInViewport();

  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Share conversation" });
  await dialog.getByRole("checkbox", { name: "Include reasoning" }).setChecked(true);
  await dialog.getByRole("button", { name: "Create link" }).click();
  const link = await dialog.getByRole("textbox", { name: "Share link" }).inputValue();
  const sharePath = new URL(link).pathname;

  const stranger = await browser.newContext();
  const strangerSeen = await watch(stranger);
  const viewer = await stranger.newPage();
  const viewerErrors: string[] = [];
  viewer.on("pageerror", (error) => viewerErrors.push(error.message));
  viewer.on("console", (msg) => {
    if (msg.type() === "error") viewerErrors.push(msg.text());
  });
  expect((await viewer.goto(sharePath))?.status()).toBe(200);
  await expectCorpusRenderedHarmlessly(viewer, strangerSeen, batches);
  // A second view is served from the rendered-snapshot cache, and hydrates as cleanly: the
  // reasoning toggle answers only once the page has hydrated.
  expect((await viewer.reload())?.status()).toBe(200);
  const firstReasoning = viewer.getByRole("region", { name: "Reasoning" }).first();
  await firstReasoning.getByRole("button", { name: "Collapse reasoning" }).click();
  await expect(firstReasoning.getByRole("button", { name: "Expand reasoning" })).toBeVisible();
  await expectUnharmed(viewer, strangerSeen, sharePath);
  await stranger.close();

  expect(viewerErrors).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
