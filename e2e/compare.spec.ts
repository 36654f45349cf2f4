import type { Page } from "@playwright/test";
import { ask, expect, lastTurn, test } from "./fixtures";
import type { RecordedRequest } from "./fake-upstream/scenario";
import { stream } from "./fake-upstream/scenario";
import { structured } from "./fake-upstream/structured";
import { toolCallScenario } from "./fake-upstream/tools";
import { createAppServer, type AppServer } from "./support/app-server";
import { holdScripts } from "./support/hydration";

const FAKE_ORIGIN = `http://127.0.0.1:${process.env.FAKE_UPSTREAM_PORT ?? 4010}`;

const efforts = ["low", "medium", "high"] as const;

function column(page: Page, n: number) {
  return page.getByRole("region", { name: `Column ${n}` });
}

function comparisonRow(page: Page, label: string) {
  return page
    .getByRole("table", { name: "Comparison" })
    .getByRole("row", { name: new RegExp(`^${label}`) });
}

async function runPrompt(page: Page, prompt: string) {
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill(prompt);
  await page.getByRole("button", { name: "Run" }).click();
}

/** The recorded bodies, by arrival. */
function bodies(requests: RecordedRequest[]) {
  return [...requests].sort((a, b) => a.id - b.id).map((r) => r.body as Record<string, unknown>);
}

test("three columns at effort low, medium and high: three requests that differ only there, all streamed and compared", async ({
  page,
  scenario,
  upstream,
}) => {
  await scenario.script(
    stream({ reasoning: ["Light", " scatters."], answer: ["Rayleigh", " scattering."] }),
  );
  await page.goto("/");
  await page.getByRole("link", { name: "Compare" }).click();
  await expect(page).toHaveURL(/\/compare$/);
  for (const [i, effort] of efforts.entries())
    await expect(column(page, i + 1).getByLabel("Reasoning effort")).toHaveValue(effort);

  await runPrompt(page, `Why is the sky blue? ${scenario.tag}`);
  for (let n = 1; n <= 3; n++) {
    await expect(column(page, n).getByRole("region", { name: "Reasoning" })).toContainText(
      "Light scatters.",
    );
    await expect(column(page, n).getByRole("region", { name: "Answer" })).toContainText(
      "Rayleigh scattering.",
    );
    await expect(column(page, n).getByRole("group", { name: "Usage" })).toContainText("Total");
  }
  await expect(page.getByRole("button", { name: "Run" })).toBeVisible();
  await expect(page).toHaveURL(/\/compare\/[\w-]+$/);

  const sent = bodies(await upstream.requests(scenario.key));
  expect(sent.map((b) => b.reasoning_effort).sort()).toEqual(["high", "low", "medium"]);
  const rest = sent.map(({ reasoning_effort: _, ...body }) => body);
  expect(rest[1]).toEqual(rest[0]);
  expect(rest[2]).toEqual(rest[0]);

  // The fake counts each piece as a token: 2 reasoning, 2 answer tokens per column.
  for (const label of ["Reasoning tokens", "Answer tokens"])
    await expect(comparisonRow(page, label).getByRole("cell")).toHaveText([/^2\b/, /^2\b/, /^2\b/]);
  for (const label of ["First reasoning token", "First answer token", "Tokens/s", "Total time"])
    await expect(comparisonRow(page, label).getByRole("cell")).toHaveText([/\d/, /\d/, /\d/]);
  await expect(comparisonRow(page, "Finish reason").getByRole("cell")).toHaveText([
    "stop",
    "stop",
    "stop",
  ]);
});

test("a prompt typed before the page is interactive is the prompt Run sends", async ({
  page,
  scenario,
  upstream,
}) => {
  await scenario.script(stream({ reasoning: ["Quick."], answer: ["Typed early."], delayMs: 5 }));
  // Hold the page's scripts until the prompt is typed: the server-rendered field takes the text
  // before React is there to see it.
  const release = await holdScripts(page);
  await page.goto("/compare", { waitUntil: "domcontentloaded" });
  const prompt = `Typed before hydration ${scenario.tag}`;
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill(prompt);
  release();
  await expect(page.getByRole("button", { name: "Run" })).toBeEnabled();
  await page.getByRole("button", { name: "Run" }).click();
  await expect(column(page, 1).getByRole("region", { name: "Answer" })).toContainText(
    "Typed early.",
  );
  const [first] = bodies(await upstream.requests(scenario.key));
  expect(first?.messages).toEqual([{ role: "user", content: prompt }]);
});

test("Stop stops every column and closes every upstream connection", async ({
  page,
  scenario,
  upstream,
}) => {
  const pieces = Array.from({ length: 60 }, (_, i) => ` step${i}`);
  await scenario.script(stream({ reasoning: pieces, answer: ["never"], delayMs: 150 }));
  await page.goto("/compare");
  await runPrompt(page, `Long one ${scenario.tag}`);
  for (let n = 1; n <= 3; n++)
    await expect(column(page, n).getByRole("region", { name: "Reasoning" })).toContainText("step2");

  await page.getByRole("button", { name: "Stop" }).click();
  await expect
    .poll(async () => (await upstream.requests(scenario.key)).map((r) => r.clientClosed), {
      timeout: 5_000,
    })
    .toEqual([true, true, true]);
  expect((await upstream.requests(scenario.key)).every((r) => !r.completed)).toBe(true);
  await expect(page.getByRole("button", { name: "Run" })).toBeVisible();
  for (let n = 1; n <= 3; n++) {
    await expect(column(page, n).getByText("Stopped")).toBeVisible();
    await expect(column(page, n).getByRole("region", { name: "Answer" })).not.toContainText(
      "never",
    );
  }
});

test("while columns stream, markdown is rendered where it can be read: near the view, and typeset when idle", async ({
  page,
  scenario,
}) => {
  // Three columns of 120 formulas each, typeset when idle: about 9 s on an idle machine, and up
  // to 33 s with both cores busy.
  test.setTimeout(60_000);
  const points = Array.from(
    { length: 120 },
    (_, i) => `Point ${i} is **bold${i}** with $$x_{${i}}$$.\n\n`,
  );
  const answer = [...points, "Tail **tailmark** still being"];
  const reasoning = ["Energy is **conserved**: $$E = mc^2$$.\n\n", "Still thinking."];
  await scenario.script(
    stream({
      reasoning,
      answer,
      delayMs: 2,
      // Held (data events: the role chunk, then one a piece) once the answer reaches far below
      // the fold, and again before the end, so that the columns are still streaming.
      holdAfter: [1 + reasoning.length + 60, 1 + reasoning.length + answer.length],
    }),
  );
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/compare");
  await runPrompt(page, `Render where read ${scenario.tag}`);
  const first = column(page, 1);
  const answerPane = first.getByRole("region", { name: "Answer" });
  // A bold word shown as bold is an element of its own, with exactly that text; plain text shows
  // the asterisks.
  const bold = (word: string) => answerPane.getByText(word, { exact: true });

  // In view: the reasoning's finished block was shown as markdown, and is typeset once idle;
  // the answer's first point is near the view too.
  const reasoningPane = first.getByRole("region", { name: "Reasoning" });
  await expect(reasoningPane.getByText("conserved", { exact: true })).toBeVisible();
  await expect(reasoningPane.locator(".katex").first()).toBeVisible();
  await expect(bold("bold0")).toBeVisible();
  // The block being written, far below the fold, is plain text.
  await expect(answerPane).toContainText("Point 59 is **bold59**");

  await scenario.release();
  await expect(answerPane).toContainText("Tail **tailmark** still being");
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  // Far below the fold: blocks written there are plain text until they come near the view.
  await expect(answerPane).toContainText("Point 100 is **bold100**");
  await expect(bold("bold100")).toHaveCount(0);
  await answerPane.getByText("Point 100 is").scrollIntoViewIfNeeded();
  await expect(bold("bold100")).toBeVisible();
  await expect(answerPane).not.toContainText("**bold100**");
  await answerPane.getByText("still being").scrollIntoViewIfNeeded();
  await expect(bold("tailmark")).toBeVisible();

  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("button", { name: "Run" })).toBeVisible();
});

test("Sequential with 3 runs per column: one request at a time, 3 answers a column, medians with min–max", async ({
  page,
  scenario,
  upstream,
}) => {
  // Each request takes the next step: column 1 gets 10, 20, 60 reasoning tokens, and so on.
  const reasoningTokens = [10, 20, 60, 30, 30, 30, 5, 50, 40];
  await scenario.script({
    type: "sequence",
    steps: reasoningTokens.map((tokens, i) =>
      stream({
        reasoning: [`Thought ${i + 1}.`],
        answer: [`Answer ${i + 1}.`],
        usage: { prompt_tokens: 12, completion_tokens: tokens + 8, reasoning_tokens: tokens },
        delayMs: 20,
      }),
    ),
  });
  await page.goto("/compare");
  await page.getByRole("switch", { name: "Sequential" }).click();
  await expect(page.getByRole("switch", { name: "Sequential" })).toBeChecked();
  await page.getByRole("spinbutton", { name: "Runs per column" }).fill("3");
  await runPrompt(page, `Count ${scenario.tag}`);

  const third = column(page, 3);
  await expect(third.getByRole("navigation", { name: "Answers of column 3" })).toContainText(
    "1 / 3",
  );
  await expect(page.getByRole("button", { name: "Run" })).toBeVisible({ timeout: 20_000 });

  const requests = [...(await upstream.requests(scenario.key))].sort((a, b) => a.id - b.id);
  expect(requests).toHaveLength(9);
  for (let i = 1; i < requests.length; i++)
    expect(requests[i]!.receivedAt).toBeGreaterThanOrEqual(
      Math.floor(requests[i - 1]!.completedAt!),
    );

  // Every answer is kept: the switcher walks through them.
  const first = column(page, 1);
  await expect(first.getByRole("region", { name: "Answer" })).toContainText("Answer 1.");
  await first.getByRole("button", { name: "Next answer" }).click();
  await expect(first.getByRole("navigation")).toContainText("2 / 3");
  await expect(first.getByRole("region", { name: "Answer" })).toContainText("Answer 2.");
  await first.getByRole("button", { name: "Next answer" }).click();
  await expect(first.getByRole("region", { name: "Answer" })).toContainText("Answer 3.");

  await expect(comparisonRow(page, "Reasoning tokens").getByRole("cell")).toHaveText([
    /^20 \(10–60\)/,
    /^30\b/,
    /^40 \(5–50\).*\+100%/,
  ]);
  await expect(comparisonRow(page, "Answer tokens").getByRole("cell")).toHaveText([
    /^8\b/,
    /^8\b/,
    /^8\b/,
  ]);
});

test("a column's response format: only its requests carry it, its answers are checked, the table counts the valid ones", async ({
  page,
  scenario,
  upstream,
}) => {
  const plain = stream({ reasoning: ["Thinking."], answer: ["Plain answer."], delayMs: 5 });
  // Sequential with 3 answers a column: column 1 takes steps 1 to 3, column 2 steps 4 to 6.
  await scenario.script({
    type: "sequence",
    steps: [
      plain,
      plain,
      plain,
      structured.json({ ok: true }),
      structured.json({ ok: true }),
      structured.prose("It is ok."),
    ],
  });
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto("/compare");
  await page.getByRole("button", { name: "Remove column 3" }).click();
  await expect(column(page, 3)).toHaveCount(0);

  const first = column(page, 1);
  const second = column(page, 2);
  await expect(second.getByRole("button", { name: /^Response format/ })).toHaveAccessibleName(
    "Response format: not set",
  );
  await second.getByRole("button", { name: /^Response format/ }).click();
  await second.getByRole("combobox", { name: "Response format" }).selectOption("json_schema");
  const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
  await second.getByRole("textbox", { name: "JSON schema" }).fill(JSON.stringify(schema));
  await expect(second.getByRole("button", { name: /^Response format/ })).toHaveAccessibleName(
    "Response format: JSON schema “response”",
  );
  await expect(first.getByRole("button", { name: /^Response format/ })).toHaveAccessibleName(
    "Response format: not set",
  );

  await page.getByRole("switch", { name: "Sequential" }).click();
  await page.getByRole("spinbutton", { name: "Runs per column" }).fill("3");
  await runPrompt(page, `Is it ok? ${scenario.tag}`);
  await expect(second.getByRole("navigation", { name: "Answers of column 2" })).toContainText(
    "1 / 3",
  );
  await expect(page.getByRole("button", { name: "Stop" })).toHaveCount(0, { timeout: 20_000 });

  const sent = bodies(await upstream.requests(scenario.key));
  expect(sent.map((b) => b.response_format)).toEqual([
    undefined,
    undefined,
    undefined,
    ...Array.from({ length: 3 }, () => ({
      type: "json_schema",
      json_schema: { name: "response", strict: true, schema },
    })),
  ]);

  const check = (col: typeof first) =>
    col.getByRole("region", { name: "Answer" }).getByRole("status", { name: "Schema check" });
  await expect(first.getByRole("region", { name: "Answer" })).toContainText("Plain answer.");
  await expect(check(first)).toHaveCount(0);
  await expect(check(second)).toHaveText(/^Valid/);
  await second.getByRole("button", { name: "Next answer" }).click();
  await second.getByRole("button", { name: "Next answer" }).click();
  await expect(second.getByRole("navigation", { name: "Answers of column 2" })).toContainText(
    "3 / 3",
  );
  await expect(check(second)).toHaveText(/^Invalid: the answer is not JSON/);

  await expect(comparisonRow(page, "Schema valid").getByRole("cell")).toHaveText(["—", /^2 \/ 3/]);
});

test("choosing a preset in a column fills that column's form with the preset's settings", async ({
  page,
}) => {
  await page.goto("/compare");
  const name = "Terse JSON";
  const created = await page.request.post("/api/presets", {
    data: {
      name,
      settings: {
        model: "openai/gpt-oss-20b",
        system: "Answer with JSON only.",
        params: {
          temperature: 0.3,
          reasoning_effort: "high",
          response_format: { type: "json_object" },
        },
      },
    },
  });
  expect(created.status()).toBe(201);
  await page.reload();

  const second = column(page, 2);
  const preset = second.getByRole("combobox", { name: "Preset" });
  await expect(preset.getByRole("option", { name })).toHaveCount(1);
  await preset.selectOption({ label: name });
  await expect(second.getByRole("combobox", { name: "Model" })).toHaveValue("openai/gpt-oss-20b");
  await expect(second.getByLabel("Reasoning effort")).toHaveValue("high");
  await expect(second.getByRole("button", { name: /^Response format/ })).toHaveAccessibleName(
    "Response format: JSON object",
  );
  await second.getByText("More parameters").click();
  await expect(second.getByRole("spinbutton", { name: "Temperature" })).toHaveValue("0.3");
  await expect(second.getByRole("checkbox", { name: "Own system prompt" })).toBeChecked();
  await expect(second.getByRole("textbox", { name: "Column system prompt" })).toHaveValue(
    "Answer with JSON only.",
  );
  // The other columns keep their settings.
  await expect(column(page, 1).getByLabel("Reasoning effort")).toHaveValue("low");
  await expect(column(page, 3).getByLabel("Reasoning effort")).toHaveValue("high");
  await expect(column(page, 3).getByRole("combobox", { name: "Model" })).toHaveValue(
    "openai/gpt-oss-120b",
  );

  // Once the column's settings differ from the preset's, its select no longer names it.
  await expect(preset).toHaveValue(/.+/);
  await second.getByLabel("Reasoning effort").selectOption("low");
  await expect(preset).toHaveValue("");
});

test("a preset's functions reach the columns: one column calls with them, another has them off", async ({
  page,
  scenario,
  upstream,
}) => {
  const tool = {
    name: "get_weather",
    description: "The current weather in a city.",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    enabled: true,
  };
  const created = await page.request.post("/api/presets", {
    data: {
      name: "Weather tool",
      settings: { model: "openai/gpt-oss-120b", params: { tools: [tool] } },
    },
  });
  expect(created.status()).toBe(201);
  // Sequential: column 1 takes the call, column 2 the plain answer.
  await scenario.script({
    type: "sequence",
    steps: [
      toolCallScenario({ name: "get_weather", args: { city: "Paris" } }),
      stream({ reasoning: ["No tool here."], answer: ["I cannot look it up."], delayMs: 5 }),
    ],
  });
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto("/compare");
  await page.getByRole("button", { name: "Remove column 3" }).click();
  const first = column(page, 1);
  const second = column(page, 2);
  for (const col of [first, second])
    await col.getByRole("combobox", { name: "Preset" }).selectOption({ label: "Weather tool" });

  const tools = (col: typeof first) => col.getByRole("group", { name: "Tools" });
  await tools(first)
    .getByRole("combobox", { name: "Tool choice" })
    .selectOption({ label: "Call get_weather" });
  await tools(second).getByRole("checkbox", { name: "Use get_weather" }).uncheck();
  // With its only function off, the column cannot name it.
  await expect(tools(second).getByRole("option", { name: "Call get_weather" })).toHaveCount(0);

  await page.getByRole("switch", { name: "Sequential" }).click();
  await runPrompt(page, `Weather in Paris? ${scenario.tag}`);
  const call = first
    .getByRole("region", { name: "Function calls" })
    .getByRole("group", { name: "Call to get_weather" });
  await expect(call.getByLabel("Arguments")).toContainText('"city": "Paris"');
  await expect(second.getByRole("region", { name: "Answer" })).toContainText(
    "I cannot look it up.",
  );
  await expect(page.getByRole("button", { name: "Stop" })).toHaveCount(0);
  // Compare shows calls; answering them is the playground's (Continue in playground).
  await expect(first.getByRole("button", { name: "Submit results" })).toHaveCount(0);
  await expect(comparisonRow(page, "Finish reason").getByRole("cell")).toHaveText([
    "tool_calls",
    "stop",
  ]);

  const [withTool, without] = bodies(await upstream.requests(scenario.key));
  expect(withTool?.tools).toEqual([
    {
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    },
  ]);
  expect(withTool?.tool_choice).toEqual({ type: "function", function: { name: "get_weather" } });
  expect(without).not.toHaveProperty("tools");
  expect(without).not.toHaveProperty("tool_choice");

  // Continue in playground: the call waits for its result there, and the loop goes on.
  await first.getByRole("button", { name: "Continue in playground" }).click();
  await expect(page).toHaveURL(/\/c\//);
  const calls = lastTurn(page).getByRole("region", { name: "Function calls" });
  await calls.getByRole("textbox", { name: "Result for get_weather" }).fill('{"celsius": 18}');
  await calls.getByRole("button", { name: "Submit results" }).click();
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "I cannot look it up.",
  );
  const loop = bodies(await upstream.requests(scenario.key))[2];
  expect(loop?.messages).toContainEqual({
    role: "tool",
    tool_call_id: expect.any(String) as unknown,
    content: '{"celsius": 18}',
  });
});

test.describe("a saved comparison (its own server, restarted)", () => {
  // Two production server starts (before the test and the restart in it), each 15-40 s on a
  // busy 2-core machine, plus three browser contexts: 90 s was seen to run out under load.
  test.describe.configure({ timeout: 180_000 });
  let server: AppServer;

  test.beforeEach(async () => {
    server = await createAppServer({ fakeUpstreamOrigin: FAKE_ORIGIN });
    await server.start();
  });

  test.afterEach(async () => {
    await server.dispose();
  });

  test("survives reload and restart, is 404 to others, shares read-only, continues in the playground", async ({
    browser,
    scenario,
    upstream,
  }) => {
    await scenario.script(stream({ reasoning: ["Kept thoughts."], answer: ["Kept answer."] }));
    const owner = await browser.newContext({ baseURL: server.url });
    const page = await owner.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto("/compare");
    await runPrompt(page, `Keep this comparison ${scenario.tag}`);
    for (let n = 1; n <= 3; n++)
      await expect(column(page, n).getByRole("region", { name: "Answer" })).toContainText(
        "Kept answer.",
        { timeout: 20_000 },
      );
    await expect(page.getByRole("button", { name: "Run" })).toBeVisible();
    await expect(page).toHaveURL(/\/compare\/[\w-]+$/);
    const url = new URL(page.url()).pathname;

    const expectSaved = async () => {
      await expect(page.getByRole("textbox", { name: "Prompt", exact: true })).toHaveValue(
        /Keep this comparison/,
      );
      for (const [i, effort] of efforts.entries()) {
        await expect(column(page, i + 1).getByLabel("Reasoning effort")).toHaveValue(effort);
        await expect(column(page, i + 1).getByRole("region", { name: "Reasoning" })).toContainText(
          "Kept thoughts.",
        );
        await expect(column(page, i + 1).getByRole("region", { name: "Answer" })).toContainText(
          "Kept answer.",
        );
      }
      await expect(comparisonRow(page, "Finish reason").getByRole("cell")).toHaveText([
        "stop",
        "stop",
        "stop",
      ]);
    };
    await page.reload();
    await expectSaved();

    await server.stop("SIGTERM");
    await server.start();
    await page.goto(url);
    await expectSaved();

    // Listed in the history, marked as a comparison.
    await page.goto("/");
    const history = page.getByRole("navigation", { name: "Conversations" });
    if (!(await history.isVisible()))
      await page.getByRole("button", { name: "Show conversations" }).click();
    await expect(
      history.getByRole("region", { name: "Comparisons" }).getByRole("link", {
        name: /Keep this comparison.*\(comparison\)/,
      }),
    ).toBeVisible();

    const stranger = await browser.newContext({ baseURL: server.url });
    const other = await stranger.newPage();
    expect((await other.goto(url))?.status()).toBe(404);
    expect((await other.request.get(`/api${url}`)).status()).toBe(404);

    // A share link opens read-only in a fresh context.
    await page.goto(url);
    await page.getByRole("button", { name: "Share", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Share comparison" });
    await dialog.getByRole("button", { name: "Create link" }).click();
    const link = new URL(await dialog.getByRole("textbox", { name: "Share link" }).inputValue())
      .pathname;
    await dialog.getByRole("button", { name: "Close" }).click();
    const shared = await stranger.newPage();
    expect((await shared.goto(link))?.status()).toBe(200);
    await expect(shared.getByText("Shared comparison · read-only")).toBeVisible();
    for (let n = 1; n <= 3; n++)
      await expect(
        shared.getByRole("region", { name: `Column ${n}` }).getByRole("region", { name: "Answer" }),
      ).toContainText("Kept answer.");
    await expect(shared.getByRole("button", { name: "Run" })).toHaveCount(0);
    await expect(shared.getByRole("textbox")).toHaveCount(0);
    await stranger.close();

    // Continue in playground: column 3's settings (effort high), the prompt and its answer.
    await column(page, 3).getByRole("button", { name: "Continue in playground" }).click();
    await expect(page).toHaveURL(/\/c\//);
    await expect(page.getByRole("article", { name: "Your message 1" })).toContainText(
      "Keep this comparison",
    );
    await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
      "Kept answer.",
    );
    await expect(page.getByRole("combobox", { name: "Reasoning effort" })).toHaveValue("high");
    await scenario.script(stream({ answer: ["Follow-up answer."] }));
    await ask(page, `And then? ${scenario.tag}`);
    await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
      "Follow-up answer.",
    );
    const last = bodies(await upstream.requests(scenario.key)).at(-1)!;
    expect(last.reasoning_effort).toBe("high");
    expect(JSON.stringify(last.messages)).toContain("Kept answer.");
    await owner.close();
  });
});
