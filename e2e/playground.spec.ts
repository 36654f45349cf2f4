import { answered, ask, expect, lastTurn, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";
import { holdScripts } from "./support/hydration";

const REASONING = ["Let me think.", " Two plus two", " is four."];
const ANSWER = ["The answer", " is **4**."];

test.describe("a question fills both panes", () => {
  test("side by side at 1280 px, with a usage line", async ({ page, scenario, consoleErrors }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await scenario.script(
      stream({
        reasoning: REASONING,
        answer: ANSWER,
        usage: { prompt_tokens: 21, completion_tokens: 30, reasoning_tokens: 12 },
        meta: { usd_spent: 0.000123 },
      }),
    );
    await page.goto("/");
    await ask(page, `What is 2+2? ${scenario.tag}`);

    const turn = lastTurn(page);
    const reasoning = turn.getByRole("region", { name: "Reasoning" });
    const answer = turn.getByRole("region", { name: "Answer" });
    await expect(reasoning).toContainText("Two plus two is four.");
    await expect(answer).toContainText("The answer is 4.");
    // Markdown is rendered, not shown raw.
    await expect(answer).not.toContainText("**");
    const weight = await answer
      .getByText("4", { exact: true })
      .evaluate((el) => getComputedStyle(el).fontWeight);
    expect(Number(weight)).toBeGreaterThanOrEqual(600);
    await expect(reasoning).toContainText("Raw model reasoning");

    const usage = turn.getByRole("group", { name: "Usage" });
    await expect(usage).toContainText(/Prompt\s*21/);
    await expect(usage).toContainText(/Reasoning\s*12/);
    await expect(usage).toContainText(/Answer\s*18/);
    await expect(usage).toContainText("First reasoning token");
    await expect(usage).toContainText("First answer token");
    await expect(usage).toContainText("tok/s");
    await expect(usage).toContainText("$0.00012");
    await expect(reasoning).toContainText("12 tokens");

    const r = await reasoning.boundingBox();
    const a = await answer.boundingBox();
    expect(r && a).toBeTruthy();
    expect(a!.x).toBeGreaterThan(r!.x + r!.width - 1);
    expect(Math.abs(a!.y - r!.y)).toBeLessThan(2);
    expect(consoleErrors).toEqual([]);
  });

  test("stacked at 390 px, without horizontal scrolling", async ({
    page,
    scenario,
    consoleErrors,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await scenario.script(stream({ reasoning: REASONING, answer: ANSWER }));
    await page.goto("/");
    await expect(page.getByRole("complementary", { name: "Parameters" })).toBeHidden();
    await ask(page, `Narrow ${scenario.tag}`);

    const turn = lastTurn(page);
    const reasoning = turn.getByRole("region", { name: "Reasoning" });
    const answer = turn.getByRole("region", { name: "Answer" });
    await expect(answer).toContainText("The answer is 4.");
    const r = await reasoning.boundingBox();
    const a = await answer.boundingBox();
    expect(a!.y).toBeGreaterThanOrEqual(r!.y + r!.height - 1);
    expect(Math.abs(a!.x - r!.x)).toBeLessThan(2);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    // The panel opens as an overlay on demand.
    await page.getByRole("button", { name: "Show parameters" }).click();
    await expect(page.getByRole("complementary", { name: "Parameters" })).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });
});

test.describe("reasoning field variants", () => {
  for (const field of ["reasoning_content", "reasoning", "openrouter"] as const) {
    test(`reasoning in \`${field}\` streams into the Reasoning pane once`, async ({
      page,
      scenario,
    }) => {
      await scenario.script(
        stream({
          reasoningField: field,
          reasoning: ["Alpha", " beta", " gamma."],
          answer: ["Done."],
        }),
      );
      await page.goto("/");
      await ask(page, `Variant ${scenario.tag}`);
      const reasoning = lastTurn(page).getByRole("region", { name: "Reasoning" });
      await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("Done.");
      // Exactly once, even where `reasoning_details` carries the same text (OpenRouter).
      await expect(reasoning.getByText("Alpha beta gamma.", { exact: true })).toHaveCount(1);
      expect(await reasoning.innerText()).not.toContain("Alpha beta gamma.Alpha");
    });
  }

  test("content and reasoning in one delta, with SSE comments", async ({ page, scenario }) => {
    await scenario.script(
      stream({
        combined: true,
        comments: true,
        reasoning: ["Think", " hard."],
        answer: ["Ans", "wer."],
      }),
    );
    await page.goto("/");
    await ask(page, `Combined ${scenario.tag}`);
    const turn = lastTurn(page);
    await expect(turn.getByRole("region", { name: "Reasoning" })).toContainText("Think hard.");
    await expect(turn.getByRole("region", { name: "Answer" })).toContainText("Answer.");
    await expect(turn.getByRole("alert")).toHaveCount(0);
  });
});

test("reasoning collapses per turn and globally", async ({ page, scenario }) => {
  await scenario.script(stream({ reasoning: ["Hidden thoughts."], answer: ["Visible."] }));
  await page.goto("/");
  await ask(page, `Collapse ${scenario.tag}`);
  const turn = lastTurn(page);
  const reasoning = turn.getByRole("region", { name: "Reasoning" });
  await expect(reasoning.getByText("Hidden thoughts.")).toBeVisible();

  await reasoning.getByRole("button", { name: "Collapse reasoning" }).click();
  await expect(reasoning.getByText("Hidden thoughts.")).toBeHidden();
  await reasoning.getByRole("button", { name: "Expand reasoning" }).click();
  await expect(reasoning.getByText("Hidden thoughts.")).toBeVisible();

  await page.getByRole("button", { name: "Collapse all reasoning" }).click();
  await expect(reasoning.getByText("Hidden thoughts.")).toBeHidden();
  await page.getByRole("button", { name: "Expand all reasoning" }).click();
  await expect(reasoning.getByText("Hidden thoughts.")).toBeVisible();
});

test("Stop closes the upstream connection and keeps the partial turn", async ({
  page,
  scenario,
  upstream,
}) => {
  const pieces = Array.from({ length: 60 }, (_, i) => ` step${i}`);
  await scenario.script(stream({ reasoning: pieces, answer: ["never"], delayMs: 150 }));
  await page.goto("/");
  await ask(page, `Long one ${scenario.tag}`);
  const reasoning = lastTurn(page).getByRole("region", { name: "Reasoning" });
  await expect(reasoning).toContainText("step2");

  await page.getByRole("button", { name: "Stop" }).click();
  const request = await upstream.waitForHangUp(scenario.key, { timeoutMs: 5000 });
  expect(request.clientClosed).toBe(true);
  expect(request.completed).toBe(false);

  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  await expect(reasoning).toContainText("step2");
  await expect(lastTurn(page).getByText("Stopped")).toBeVisible();
  await expect(lastTurn(page)).not.toContainText("never");
});

test("Regenerate asks again; editing a message shows it in place of what followed and resends", async ({
  page,
  scenario,
  upstream,
}) => {
  await scenario.script(stream({ reasoning: ["R1."], answer: ["First answer."] }));
  await page.goto("/");
  await ask(page, `Original question ${scenario.tag}`);
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "First answer.",
  );

  await scenario.script(stream({ reasoning: ["R2."], answer: ["Second answer."] }));
  await page.getByRole("button", { name: "Regenerate" }).click();
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "Second answer.",
  );
  await expect(page.getByRole("article", { name: /^Assistant turn/ })).toHaveCount(1);
  expect((await upstream.requests(scenario.key)).length).toBe(2);

  await scenario.script(stream({ reasoning: ["R3."], answer: ["Edited answer."] }));
  await page.getByRole("button", { name: "Edit message" }).click();
  await page.getByRole("textbox", { name: "Edit message" }).fill(`Edited question ${scenario.tag}`);
  await page.getByRole("button", { name: "Save and resend" }).click();
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "Edited answer.",
  );
  await expect(page.getByRole("article", { name: /^Your message/ })).toHaveCount(1);
  await expect(page.getByRole("article", { name: /^Your message/ })).toContainText(
    "Edited question",
  );

  const requests = await upstream.requests(scenario.key);
  const last = requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
  expect(last.messages).toHaveLength(1);
  expect(JSON.stringify(last.messages[0]!.content)).toContain("Edited question");
});

test("earlier turns' reasoning is not sent upstream", async ({ page, scenario, upstream }) => {
  await scenario.script(stream({ reasoning: ["SECRET-THOUGHT"], answer: ["One."] }));
  await page.goto("/");
  await ask(page, `First ${scenario.tag}`);
  await answered(page, "One.");
  await ask(page, `Second ${scenario.tag}`);
  await expect(
    page.getByRole("article", { name: "Assistant turn 2" }).getByRole("region", { name: "Answer" }),
  ).toContainText("One.");

  const requests = await upstream.requests(scenario.key);
  expect(requests).toHaveLength(2);
  const body = requests[1]!.body as { messages: Record<string, unknown>[] };
  expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  expect(body.messages[1]).toMatchObject({ role: "assistant", content: "One." });
  expect(JSON.stringify(body)).not.toContain("SECRET-THOUGHT");
});

test("New chat clears the conversation", async ({ page, scenario }) => {
  await scenario.script(stream({ answer: ["Hi."] }));
  await page.goto("/");
  await ask(page, `Hello ${scenario.tag}`);
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("Hi.");
  await page.getByRole("button", { name: "New chat" }).click();
  await expect(page.getByRole("article")).toHaveCount(0);
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
});

test("keyboard: Shift+Enter adds a line, Enter sends, controls are reachable with Tab", async ({
  page,
  scenario,
  upstream,
}) => {
  await scenario.script(stream({ answer: ["Ok."] }));
  await page.goto("/");
  const box = page.getByRole("textbox", { name: "Message" });
  await box.focus();
  await page.keyboard.type("line one");
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type(`line two ${scenario.tag}`);
  await expect(box).toHaveValue(`line one\nline two ${scenario.tag}`);
  // Send takes focus once the page is interactive (a disabled button is skipped by Tab).
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Send" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("Ok.");
  const request = await upstream.waitForRequest(scenario.key);
  const messages = (request.body as { messages: { content: string }[] }).messages;
  expect(messages.at(-1)!.content).toContain("line one\nline two");
});

test("before the page is interactive its buttons are disabled, and a message typed then is kept", async ({
  page,
  scenario,
  upstream,
}) => {
  await scenario.script(stream({ reasoning: ["First."], answer: ["First answer."] }));
  await page.goto("/");
  await ask(page, `Early bird ${scenario.tag}`);
  await answered(page, "First answer.");
  await expect(page).toHaveURL(/\/c\//);

  // The conversation comes back server-rendered while its scripts are held: nothing can act yet.
  const release = await holdScripts(page);
  await page.reload({ waitUntil: "domcontentloaded" });
  const mine = page.getByRole("article", { name: "Your message 1" });
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "First answer.",
  );
  // A click here would be lost: the buttons say they are not ready rather than ignore it.
  await expect(mine.getByRole("button", { name: "Edit message" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Regenerate" })).toBeDisabled();
  const follow = `Typed while loading ${scenario.tag}`;
  await page.getByRole("textbox", { name: "Message" }).fill(follow);

  await scenario.script(stream({ reasoning: ["Second."], answer: ["Second answer."] }));
  release();
  await expect(mine.getByRole("button", { name: "Edit message" })).toBeEnabled();
  await expect(page.getByRole("textbox", { name: "Message" })).toHaveValue(follow);
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeEnabled();
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await answered(page, "Second answer.");
  const sent = (await upstream.requests(scenario.key)).at(-1)!.body as {
    messages: { role: string; content: unknown }[];
  };
  expect(sent.messages.at(-1)).toEqual({ role: "user", content: follow });
});

test("dark mode follows the system and can be toggled", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.getByRole("button", { name: /^Theme: system/ }).click();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await page.getByRole("button", { name: /^Theme: light/ }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByRole("button", { name: /^Theme: dark/ })).toBeVisible();
});
