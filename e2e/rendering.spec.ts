import type { Locator } from "@playwright/test";
import { answered, ask, expect, lastTurn, test } from "./fixtures";
import { guessContents } from "../scripts/bench/first-load-js";
import { generateMarkdown } from "./fake-upstream/markdown";
import { stream } from "./fake-upstream/scenario";

/**
 * A scroll container read at the start of a frame, as the page's own code reads layout. A read
 * between frames would force a layout that the page's following never sees: text that shrank
 * there (a block typeset when idle) moves the position up, and that move's scroll event,
 * dispatched after more text has arrived, reads as the reader scrolling up. The test would stop
 * the following it checks (seen once in 35 runs under load).
 */
const measure = (scroller: Locator) =>
  scroller.evaluate(
    (el) =>
      new Promise<{ gap: number; overflowsTwice: boolean }>((resolve) =>
        requestAnimationFrame(() =>
          resolve({
            // Pixels between the bottom of what it shows and the end of its content.
            gap: el.scrollHeight - el.scrollTop - el.clientHeight,
            // It holds more than twice what it shows.
            overflowsTwice: el.scrollHeight > 2 * el.clientHeight,
          }),
        ),
      ),
  );
const gap = async (scroller: Locator) => (await measure(scroller)).gap;
const textLength = (region: Locator) => region.evaluate((el) => el.textContent?.length ?? 0);

test("a long stream stays in view, until the reader scrolls up", async ({ page, scenario }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  // 4,000 tokens a pane at 400 tokens/s. The fake holds the stream after 1,500 tokens of each
  // pane until the reader has scrolled, so each pane surely grows after the scroll, however slow
  // the machine is to get there.
  const reasoningTokens = generateMarkdown({ tokens: 4_000, seed: 5, kind: "reasoning" });
  const answerTokens = generateMarkdown({ tokens: 4_000, seed: 6, end: "Last words." });
  await scenario.script(
    stream({
      reasoning: reasoningTokens,
      answer: answerTokens,
      tokensPerSecond: 400,
      // Data events written, the role chunk being the first.
      holdAfter: [1 + 1_500, 1 + reasoningTokens.length + 1_500],
    }),
  );
  await page.goto("/");
  await ask(page, `Think at length ${scenario.tag}`);
  const turn = lastTurn(page);
  const reasoning = turn.getByRole("region", { name: "Reasoning" });
  // The reasoning pane scrolls on its own; it has no name of its own beyond its region.
  const pane = reasoning.locator('[id^="reasoning-"]');

  // While it streams, the pane follows the newest text: at the hold it shows the end of a text
  // more than twice its height.
  await expect.poll(async () => (await measure(pane)).overflowsTwice).toBe(true);
  await expect.poll(() => gap(pane)).toBeLessThan(24);

  // The reader scrolls up: what they read stays where it is while text keeps coming. (Not
  // scrollTop: a block above that renders in full changes height, and the browser's scroll
  // anchoring moves the position to keep the view's text in place.)
  await pane.hover();
  await page.mouse.wheel(0, -400);
  await expect.poll(() => gap(pane)).toBeGreaterThan(300);
  // The block at the top of the view, and its distance from the pane's top.
  const read = await pane.evaluateHandle((el) => {
    const box = el.getBoundingClientRect();
    const block = document
      .elementFromPoint(box.left + box.width / 2, box.top + 8)
      ?.closest("[data-finished-block]");
    if (!block) throw new Error("no finished block at the top of the pane");
    return block;
  });
  const offset = () =>
    pane.evaluate(
      (el, block) => block.getBoundingClientRect().top - el.getBoundingClientRect().top,
      read,
    );
  const shownAt = await offset();
  const before = await textLength(reasoning);
  await scenario.release();
  await expect.poll(() => textLength(reasoning)).toBeGreaterThan(before + 500);
  expect(Math.abs((await offset()) - shownAt)).toBeLessThan(2);
  expect(await gap(pane)).toBeGreaterThan(300);

  // The conversation follows the answer too, and lets go the same way.
  const answer = turn.getByRole("region", { name: "Answer" });
  await expect.poll(() => textLength(answer), { timeout: 40_000 }).toBeGreaterThan(2_000);
  const conversation = page
    .getByRole("main", { name: "Conversation" })
    .locator(":scope > .overflow-y-auto");
  await expect.poll(() => gap(conversation)).toBeLessThan(48);
  // The pointer over the answer's part in view, without hover(): its scroll into view (the
  // answer's end lies under the usage line) would itself move the conversation up and let go.
  const answerBox = (await answer.boundingBox())!;
  const viewBox = (await conversation.boundingBox())!;
  const shownTop = Math.max(answerBox.y, viewBox.y);
  const shownBottom = Math.min(answerBox.y + answerBox.height, viewBox.y + viewBox.height);
  expect(shownBottom - shownTop).toBeGreaterThan(100);
  await page.mouse.move(answerBox.x + answerBox.width / 2, (shownTop + shownBottom) / 2);
  await page.mouse.wheel(0, -600);
  await expect.poll(() => gap(conversation)).toBeGreaterThan(400);
  // More of the answer arrives; the conversation stays where the reader left it.
  const shown = await textLength(answer);
  await scenario.release();
  await expect.poll(() => textLength(answer)).toBeGreaterThan(shown + 1_000);
  expect(await gap(conversation)).toBeGreaterThan(400);
  await answered(page, "Last words.", { timeout: 40_000 });
});

test("a pane that follows the stream keeps following when its text shrinks and then grows", async ({
  page,
  scenario,
}) => {
  // A block that shrinks as it renders (typeset when idle, or markdown as it comes near) moves
  // the position back at the bottom; the scroll event for that move comes a frame later, when
  // more text may have arrived. That move is not the reader scrolling up.
  const reasoning = generateMarkdown({ tokens: 1_500, seed: 7, kind: "reasoning" });
  await scenario.script(
    stream({
      reasoning,
      answer: ["Done."],
      tokensPerSecond: 3_000,
      // Held after the reasoning (data events: the role chunk first), still streaming.
      holdAfter: [1 + reasoning.length],
    }),
  );
  await page.goto("/");
  await ask(page, `Think and shrink ${scenario.tag}`);
  const turn = lastTurn(page);
  const pane = turn.getByRole("region", { name: "Reasoning" }).locator('[id^="reasoning-"]');
  await expect.poll(async () => (await measure(pane)).overflowsTwice).toBe(true);
  await expect.poll(() => gap(pane)).toBeLessThan(24);

  const after = await pane.evaluate(async (el) => {
    const content = el.firstElementChild as HTMLElement;
    const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    const block = (height: number) => {
      const div = document.createElement("div");
      div.style.height = `${height}px`;
      content.append(div);
      return div;
    };
    const shrinking = block(300);
    await frame();
    await frame();
    const gapBefore = el.scrollHeight - el.scrollTop - el.clientHeight;
    // In one frame the text shrinks by 200 px (its layout moves the position back); after that
    // frame, before the next, 600 px more arrive.
    const grown = await new Promise<HTMLElement>((resolve) =>
      requestAnimationFrame(() => {
        shrinking.style.height = "100px";
        setTimeout(() => resolve(block(600)));
      }),
    );
    for (let i = 0; i < 4; i++) await frame();
    const gapAfter = el.scrollHeight - el.scrollTop - el.clientHeight;
    shrinking.remove();
    grown.remove();
    return { gapBefore, gapAfter };
  });
  expect(after.gapBefore).toBeLessThan(24);
  expect(after.gapAfter).toBeLessThan(24);

  await scenario.release();
  await answered(page, "Done.");
});

test("a finished answer shows highlighted code and typeset math", async ({ page, scenario }) => {
  const answer = [
    "Here is the code:\n\n",
    "```ts\n",
    "export const double = (x: number) => x * 2;\n",
    "```\n\n",
    "and the formula $$e^{i\\pi} + 1 = 0$$ ",
    "holds.\n\n",
    "- one\n",
    "- two **bold**",
  ];
  await scenario.script(stream({ reasoning: ["Plan: $$a^2$$ first."], answer }));
  await page.goto("/");
  await ask(page, `Show code ${scenario.tag}`);
  await answered(page, "two bold");
  const region = lastTurn(page).getByRole("region", { name: "Answer" });
  const code = region.locator('[data-streamdown="code-block-body"]');
  await expect(code).toContainText("export const double = (x: number) => x * 2;");
  // Shiki colours each token through a CSS variable.
  await expect(code.locator('span[style*="--sdm-c"]').first()).toBeVisible();
  await expect(region.locator(".katex").first()).toBeVisible();
  await expect(region.getByRole("listitem")).toHaveText(["one", "two bold"]);
  await expect(region).not.toContainText("$$");
  const reasoning = lastTurn(page).getByRole("region", { name: "Reasoning" });
  await expect(reasoning.locator(".katex").first()).toBeVisible();
});

test("a long conversation opened from history renders its turns as they come into view", async ({
  page,
}) => {
  const turns = 12;
  const messages = Array.from({ length: turns }, (_, i) => [
    { role: "user", parts: [{ type: "text", text: `Question ${i + 1}` }] },
    {
      role: "assistant",
      parts: [
        { type: "reasoning", text: `Thinking about **question ${i + 1}**.` },
        {
          type: "text",
          text: `## Answer ${i + 1}\n\n${generateMarkdown({ tokens: 400, seed: i }).join("")}`,
        },
      ],
    },
  ]).flat();
  await page.goto("/");
  const response = await page.request.post("/api/conversations/import", {
    data: { format: "thinkpane.conversation", version: 1, title: "Long", messages },
  });
  expect(response.status()).toBe(201);
  const { id } = (await response.json()) as { id: string };
  await page.goto(`/c/${id}`);

  // The newest turn is in view and rendered as markdown.
  const last = page.getByRole("article", { name: `Assistant turn ${turns}` });
  await expect(last.getByRole("heading", { name: `Answer ${turns}` })).toBeVisible();
  // The first one renders once the reader gets there.
  const first = page.getByRole("article", { name: "Assistant turn 1", exact: true });
  await first.scrollIntoViewIfNeeded();
  await expect(first.getByRole("heading", { name: "Answer 1" })).toBeVisible();
  await expect(first.getByRole("region", { name: "Answer" })).not.toContainText("## Answer 1");
});

test("typing a message loads the markdown renderer, which the first load leaves out", async ({
  page,
}) => {
  // Script responses that hold the renderer (Streamdown), as they arrive.
  const renderer: string[] = [];
  page.on("response", async (response) => {
    if (response.request().resourceType() !== "script" || response.status() !== 200) return;
    if (guessContents(await response.text()).includes("streamdown")) renderer.push(response.url());
  });
  await page.goto("/");
  await page.waitForLoadState("networkidle");
  expect(renderer).toEqual([]);
  // Loaded while the browser is idle after the first keystroke, not when the answer starts.
  await page.getByRole("textbox", { name: "Message" }).pressSequentially("Hi");
  await expect.poll(() => renderer.length).toBeGreaterThan(0);
});
