import type { Page } from "@playwright/test";
import { answered, ask, expect, lastTurn, test } from "./fixtures";
import { type RecordedRequest, sequence, stream } from "./fake-upstream/scenario";
import {
  finalAnswerScenario,
  harmonyLeakScenario,
  invalidArgumentsScenario,
  toolCallScenario,
  twoCallsScenario,
} from "./fake-upstream/tools";
import { addTool, panelOf, WEATHER_PARAMETERS, WEATHER_TOOL } from "./support/tools";

const callsOf = (page: Page) => lastTurn(page).getByRole("region", { name: "Function calls" });

type WireMessage = {
  role: string;
  content?: unknown;
  tool_calls?: unknown;
  tool_call_id?: string;
  reasoning?: string;
  reasoning_content?: string;
};
const messagesOf = (request: RecordedRequest) =>
  (request.body as { messages: WireMessage[] }).messages;

test("a tool loop: the call streams, a typed result goes back with the reasoning, the answer follows", async ({
  page,
  scenario,
  upstream,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await scenario.script(
    sequence(
      toolCallScenario({
        name: "get_weather",
        args: { city: "Paris" },
        id: "call_paris",
        pieces: 4,
        reasoning: "The user wants the weather in Paris. I should call get_weather.",
      }),
      finalAnswerScenario("It is 18 °C and sunny in Paris."),
      stream({ reasoning: ["A new question."], answer: ["Tomorrow looks dry."] }),
    ),
  );
  await page.goto("/");
  await addTool(page, WEATHER_TOOL);

  await ask(page, `What is the weather in Paris? ${scenario.tag}`);
  const call = callsOf(page).getByRole("group", { name: "Call to get_weather" });
  await expect(call.getByLabel("Arguments")).toHaveText('{\n  "city": "Paris"\n}');
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "No answer yet: the model called a function.",
  );
  const first = await upstream.waitForRequest(scenario.key);
  expect((first.body as { tools: unknown }).tools).toEqual([
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Current weather for a city.",
        parameters: WEATHER_PARAMETERS,
      },
    },
  ]);

  const result = call.getByRole("textbox", { name: "Result for get_weather" });
  await result.fill('{"celsius": 18,');
  await expect(result).toHaveAccessibleDescription(/^JSON error at line 1/);
  await result.fill('{"celsius": 18, "sky": "sunny"}');
  await expect(result).not.toHaveAttribute("aria-invalid");
  await callsOf(page).getByRole("button", { name: "Submit results" }).click();
  await answered(page, "It is 18 °C and sunny in Paris.");
  await expect(call.getByLabel("Result of get_weather")).toHaveText(
    '{"celsius": 18, "sky": "sunny"}',
  );

  const second = await upstream.waitForRequest(scenario.key, { count: 2 });
  const wire = messagesOf(second);
  expect(wire.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
  expect(wire[1]).toEqual({
    role: "assistant",
    content: null,
    reasoning: "The user wants the weather in Paris. I should call get_weather.",
    tool_calls: [
      {
        id: "call_paris",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      },
    ],
  });
  expect(wire[2]).toEqual({
    role: "tool",
    tool_call_id: "call_paris",
    content: '{"celsius": 18, "sky": "sunny"}',
  });
  expect(second.assistantReasoning).toEqual([
    {
      index: 1,
      field: "reasoning",
      chars: "The user wants the weather in Paris. I should call get_weather.".length,
    },
  ]);

  // Stored on the server: a reload shows the call, its result and the answer.
  await page.reload();
  await expect(call.getByLabel("Arguments")).toHaveText('{\n  "city": "Paris"\n}');
  await expect(call.getByLabel("Result of get_weather")).toHaveText(
    '{"celsius": 18, "sky": "sunny"}',
  );
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "It is 18 °C and sunny in Paris.",
  );

  // The loop ended in an answer: a new question sends no reasoning back at all.
  await ask(page, `And tomorrow? ${scenario.tag}`);
  await answered(page, "Tomorrow looks dry.");
  const third = await upstream.waitForRequest(scenario.key, { count: 3 });
  expect(third.assistantReasoning).toEqual([]);
  expect(messagesOf(third).map((m) => m.role)).toEqual([
    "user",
    "assistant",
    "tool",
    "assistant",
    "user",
  ]);
});

test("arguments split over many deltas, a preamble, and two calls in one turn", async ({
  page,
  scenario,
  upstream,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await scenario.script(
    sequence(
      twoCallsScenario([
        { name: "get_weather", args: { city: "Paris" }, id: "call_a", pieces: 5 },
        { name: "get_weather", args: { city: "London" }, id: "call_b", pieces: 3 },
      ]),
      finalAnswerScenario("Paris is warmer than London today."),
    ),
  );
  await page.goto("/");
  await addTool(page, WEATHER_TOOL);
  await ask(page, `Paris or London, which is warmer? ${scenario.tag}`);
  const calls = callsOf(page).getByRole("group", { name: "Call to get_weather" });
  await expect(calls).toHaveCount(2);
  await expect(calls.nth(0).getByLabel("Arguments")).toHaveText('{\n  "city": "Paris"\n}');
  await expect(calls.nth(1).getByLabel("Arguments")).toHaveText('{\n  "city": "London"\n}');
  await calls.nth(0).getByRole("textbox", { name: "Result for get_weather" }).fill("21 °C");
  await calls.nth(1).getByRole("textbox", { name: "Result for get_weather" }).fill("15 °C");
  await callsOf(page).getByRole("button", { name: "Submit results" }).click();
  await answered(page, "Paris is warmer than London today.");
  const second = await upstream.waitForRequest(scenario.key, { count: 2 });
  const wire = messagesOf(second);
  expect(wire.slice(2)).toEqual([
    { role: "tool", tool_call_id: "call_a", content: "21 °C" },
    { role: "tool", tool_call_id: "call_b", content: "15 °C" },
  ]);
  expect((wire[1]?.tool_calls as unknown[]).length).toBe(2);
});

test("a preamble shows as answer text before the call", async ({ page, scenario }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await scenario.script(
    toolCallScenario({
      name: "get_weather",
      args: { city: "Oslo" },
      preamble: "Let me check the current weather in Oslo.",
    }),
  );
  await page.goto("/");
  await addTool(page, WEATHER_TOOL);
  await ask(page, `Weather in Oslo? ${scenario.tag}`);
  await expect(callsOf(page).getByRole("group", { name: "Call to get_weather" })).toBeVisible();
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "Let me check the current weather in Oslo.",
  );
  await expect(lastTurn(page).getByRole("group", { name: "Usage" })).toContainText(
    "Finishtool_calls",
  );
});

test("arguments that are not JSON say so; leaked harmony syntax shows as text with a note", async ({
  page,
  scenario,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await scenario.script(sequence(invalidArgumentsScenario("get_weather"), harmonyLeakScenario()));
  await page.goto("/");
  await addTool(page, WEATHER_TOOL);
  await ask(page, `Weather in Paris? ${scenario.tag}`);
  const call = callsOf(page).getByRole("group", { name: "Call to get_weather" });
  await expect(call.getByRole("alert")).toContainText("The arguments are not valid JSON");
  await expect(call).toContainText('{"city": "Par');

  await ask(page, `Try again ${scenario.tag}`);
  const answer = lastTurn(page).getByRole("region", { name: "Answer" });
  await expect(answer).toContainText("<|channel|>commentary to=functions.get_weather");
  await expect(answer).toContainText("the server passed the model's raw tool-call format through");
});

test("Auto-submit mocks answers calls by itself and stops after 8 rounds", async ({
  page,
  scenario,
  upstream,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  // A model that never stops calling: every request gets another call.
  await scenario.script(toolCallScenario({ name: "get_weather", args: { city: "Paris" } }));
  await page.goto("/");
  await addTool(page, { ...WEATHER_TOOL, mock: '{"celsius": 18}' });
  await panelOf(page).getByRole("switch", { name: "Auto-submit mocks" }).click();
  await ask(page, `Weather in Paris? ${scenario.tag}`);
  await expect(callsOf(page).getByRole("status")).toHaveText(
    "Auto-submit stopped after 8 rounds for this message: submit results to go on.",
    { timeout: 30_000 },
  );
  const requests = await upstream.requests(scenario.key);
  expect(requests).toHaveLength(9);
  expect(messagesOf(requests[8]!).filter((m) => m.role === "tool")).toHaveLength(8);
  // The form is still there, pre-filled with the mock, for a person to go on.
  await expect(callsOf(page).getByRole("textbox", { name: "Result for get_weather" })).toHaveValue(
    '{"celsius": 18}',
  );
});

for (const { model, field } of [
  { model: "llamacpp:gpt-oss-120b", field: "reasoning_content" },
  { model: "noreasoning:gpt-oss-120b", field: undefined },
]) {
  test(`the provider's reasoning field on the wire: ${field ?? "none"}`, async ({
    page,
    scenario,
    upstream,
  }) => {
    await page.setViewportSize({ width: 1400, height: 1000 });
    await scenario.script(
      sequence(
        toolCallScenario({ name: "get_weather", args: { city: "Rome" }, reasoning: "Call it." }),
        finalAnswerScenario("Warm in Rome."),
      ),
    );
    await page.goto("/");
    await panelOf(page).getByRole("combobox", { name: "Model" }).selectOption(model);
    await addTool(page, { ...WEATHER_TOOL, mock: "25 °C" });
    await ask(page, `Weather in Rome? ${scenario.tag}`);
    await callsOf(page).getByRole("button", { name: "Submit results" }).click();
    await answered(page, "Warm in Rome.");
    const second = await upstream.waitForRequest(scenario.key, { count: 2 });
    expect(second.assistantReasoning).toEqual(
      field ? [{ index: 1, field, chars: "Call it.".length }] : [],
    );
  });
}

test("the switch Send reasoning back in tool loops turns it off", async ({
  page,
  scenario,
  upstream,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await scenario.script(
    sequence(
      toolCallScenario({ name: "get_weather", args: { city: "Rome" }, reasoning: "Call it." }),
      finalAnswerScenario("Warm in Rome."),
    ),
  );
  await page.goto("/");
  await addTool(page, { ...WEATHER_TOOL, mock: "25 °C" });
  const send = panelOf(page).getByRole("switch", { name: "Send reasoning back in tool loops" });
  await expect(send).toBeChecked();
  await send.click();
  await expect(send).not.toBeChecked();
  await ask(page, `Weather in Rome? ${scenario.tag}`);
  await callsOf(page).getByRole("button", { name: "Submit results" }).click();
  await answered(page, "Warm in Rome.");
  const second = await upstream.waitForRequest(scenario.key, { count: 2 });
  expect(second.assistantReasoning).toEqual([]);
  expect(messagesOf(second)[1]?.tool_calls).toHaveLength(1);
});

/** Creates a share link without reasoning through the Share dialog; returns its path. */
async function shareLinkWithoutReasoning(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Share conversation" });
  await dialog
    .getByRole("group", { name: "What the link includes" })
    .getByRole("checkbox", { name: "Include reasoning" })
    .uncheck();
  await dialog.getByRole("button", { name: "Create link" }).click();
  const url = await dialog.getByRole("textbox", { name: "Share link" }).inputValue();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  return new URL(url).pathname;
}

test("a tool loop exports to Markdown and shares: calls and results shown, reasoning only when included", async ({
  page,
  browser,
  scenario,
}) => {
  // A tool loop, an export, two links and a second browser: about 25 s on a loaded 2-core machine.
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  const callReasoning = "Private plan: call get_weather for Paris.";
  await scenario.script(
    sequence(
      toolCallScenario({
        name: "get_weather",
        args: { city: "Paris" },
        id: "call_share",
        preamble: "Let me check the weather.",
        reasoning: callReasoning,
      }),
      finalAnswerScenario("It is 18 °C and sunny in Paris."),
    ),
  );
  await page.goto("/");
  await addTool(page, WEATHER_TOOL);
  await ask(page, `Weather in Paris? ${scenario.tag}`);
  await callsOf(page)
    .getByRole("textbox", { name: "Result for get_weather" })
    .fill('{"celsius": 18, "sky": "sunny"}');
  await callsOf(page).getByRole("button", { name: "Submit results" }).click();
  await answered(page, "It is 18 °C and sunny in Paris.");
  await expect(page).toHaveURL(/\/c\/[A-Za-z0-9_-]+$/);
  const id = new URL(page.url()).pathname.split("/").at(-1)!;

  // Markdown: the preamble, the call with its arguments, its result, then the final answer.
  const md = await (
    await page.request.get(`/api/conversations/${id}/export?format=markdown`)
  ).text();
  const order = [
    "Let me check the weather.",
    "**Call to `get_weather`**",
    '```json\n{\n  "city": "Paris"\n}\n```',
    "**Result for `get_weather`**",
    '```json\n{\n  "celsius": 18,\n  "sky": "sunny"\n}\n```',
    "It is 18 °C and sunny in Paris.",
  ].map((text) => md.indexOf(text));
  expect(order.every((at) => at >= 0)).toBe(true);
  expect(order).toEqual([...order].sort((a, b) => a - b));

  const withoutReasoning = await shareLinkWithoutReasoning(page);
  const created = await page.request.post(`/api/conversations/${id}/shares`, {
    data: { includeReasoning: true },
  });
  expect(created.status()).toBe(201);
  const withReasoning = ((await created.json()) as { share: { url: string } }).share.url;

  const stranger = await browser.newContext();
  const viewer = await stranger.newPage();
  await viewer.setViewportSize({ width: 1400, height: 1000 });
  await viewer.goto(withoutReasoning);
  const calls = lastTurn(viewer).getByRole("region", { name: "Function calls" });
  const call = calls.getByRole("group", { name: "Call to get_weather" });
  await expect(call).toContainText("get_weather");
  await expect(call.getByLabel("Arguments")).toHaveText('{\n  "city": "Paris"\n}');
  await expect(call.getByLabel("Result of get_weather")).toHaveText(
    '{"celsius": 18, "sky": "sunny"}',
  );
  await expect(lastTurn(viewer).getByRole("region", { name: "Answer" })).toContainText(
    "Let me check the weather.",
  );
  await expect(lastTurn(viewer).getByRole("region", { name: "Answer" })).toContainText(
    "It is 18 °C and sunny in Paris.",
  );
  await expect(viewer.getByText(callReasoning)).toHaveCount(0);
  expect(await (await stranger.request.get(withoutReasoning)).text()).not.toContain("Private plan");

  // With reasoning included, the loop's reasoning is there too.
  await viewer.goto(withReasoning);
  await expect(lastTurn(viewer).getByRole("region", { name: "Reasoning" })).toContainText(
    callReasoning,
  );
  await expect(
    lastTurn(viewer)
      .getByRole("group", { name: "Call to get_weather" })
      .getByLabel("Result of get_weather"),
  ).toBeVisible();
  await stranger.close();
});
