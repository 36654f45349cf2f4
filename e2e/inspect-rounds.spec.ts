import type { Locator, Page } from "@playwright/test";
import { answered, ask, expect, lastTurn, test } from "./fixtures";
import { sequence } from "./fake-upstream/scenario";
import { finalAnswerScenario, toolCallScenario } from "./fake-upstream/tools";
import { addTool, panelOf, WEATHER_TOOL } from "./support/tools";

// Most of these run a whole tool loop (two upstream requests) before Inspect opens; on a busy
// machine that outlasts the 30 s a single turn gets.
test.describe.configure({ timeout: 60_000 });

const callsOf = (page: Page) => lastTurn(page).getByRole("region", { name: "Function calls" });

/** Asks about the weather, submits the mock result: two upstream requests for one answer. */
async function twoRounds(page: Page, tag: string, before?: () => Promise<void>) {
  await page.goto("/");
  await addTool(page, { ...WEATHER_TOOL, mock: '{"celsius": 25}' });
  await before?.();
  await ask(page, `Weather in Rome? ${tag}`);
  await callsOf(page).getByRole("button", { name: "Submit results" }).click();
  await answered(page, "Warm in Rome.");
}

async function openInspect(page: Page) {
  await lastTurn(page).getByRole("button", { name: "Inspect" }).click();
  const dialog = page.getByRole("dialog", { name: "Inspect" });
  await expect(dialog).toBeVisible();
  return dialog;
}

const scenarioOf = () =>
  sequence(
    toolCallScenario({ name: "get_weather", args: { city: "Rome" }, reasoning: "Call it." }),
    finalAnswerScenario("Warm in Rome."),
  );

test("Inspect on a tool loop: every request of the answer, each saying whether reasoning went back", async ({
  page,
  scenario,
  upstream,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await scenario.script(scenarioOf());
  await twoRounds(page, scenario.tag);
  expect(await upstream.requests(scenario.key)).toHaveLength(2);

  const summary = (dialog: Locator) => dialog.getByText(/^Reasoning sent back:/);

  let dialog = await openInspect(page);
  await expect(dialog).toHaveAccessibleDescription(/A tool loop made 2 requests/);
  let picker = dialog.getByRole("combobox", { name: "Upstream request" });
  // The last request first: the one that made the answer as it stands.
  await expect(picker.locator("option:checked")).toHaveText("Request 2 of 2");
  await expect(summary(dialog)).toHaveText(
    "Reasoning sent back: yes, in reasoning, on 1 assistant message",
  );
  await expect(summary(dialog).getByRole("code")).toHaveText("reasoning");
  const body = dialog.getByRole("region", { name: "Request body" });
  await expect(body).toContainText('"role": "tool"');
  await expect(body).toContainText('"reasoning": "Call it."');
  await dialog.getByRole("tab", { name: "Response" }).click();
  const response = dialog.getByRole("region", { name: "Assembled response" });
  await expect(response).toContainText("Warm in Rome.");

  // The keyboard moves to the first request; the tab shown follows it.
  await picker.focus();
  await page.keyboard.press("ArrowUp");
  await expect(picker.locator("option:checked")).toHaveText("Request 1 of 2");
  await expect(response).toContainText('"finish_reason": "tool_calls"');
  await expect(response).not.toContainText("Warm in Rome.");
  await dialog.getByRole("tab", { name: "Request" }).click();
  await expect(summary(dialog)).toHaveText("Reasoning sent back: none to send");
  await expect(body).not.toContainText('"role": "tool"');
  await expect(body).toContainText(`Weather in Rome? ${scenario.tag}`);
  await dialog.getByRole("tab", { name: "Chunks" }).click();
  const chunks = dialog.getByRole("listbox", { name: "Chunks" });
  await expect(chunks).toContainText('"finish_reason":"tool_calls"');

  await picker.selectOption({ label: "Request 2 of 2" });
  await expect(dialog.getByRole("tab", { name: "Chunks" })).toHaveAttribute(
    "aria-selected",
    "true",
  );
  await expect(chunks).toContainText('"finish_reason":"stop"');
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // Stored on the server: after a reload both requests are there, in order.
  await page.reload();
  dialog = await openInspect(page);
  picker = dialog.getByRole("combobox", { name: "Upstream request" });
  await expect(picker.locator("option:checked")).toHaveText("Request 2 of 2");
  await expect(summary(dialog)).toHaveText(
    "Reasoning sent back: yes, in reasoning, on 1 assistant message",
  );
  await picker.selectOption({ label: "Request 1 of 2" });
  await expect(summary(dialog)).toHaveText("Reasoning sent back: none to send");
});

test("Inspect on a turn without a tool loop shows no request picker", async ({
  page,
  scenario,
}) => {
  await scenario.script(finalAnswerScenario("Just an answer."));
  await page.goto("/");
  await ask(page, `Hello ${scenario.tag}`);
  await answered(page, "Just an answer.");
  const dialog = await openInspect(page);
  await expect(dialog.getByRole("tab", { name: "Request" })).toBeVisible();
  await expect(dialog.getByRole("combobox", { name: "Upstream request" })).toHaveCount(0);
  await expect(dialog.getByText(/^Reasoning sent back:/)).toHaveText(
    "Reasoning sent back: none to send",
  );
});

for (const { name, model, expected } of [
  {
    name: "the switch off",
    model: undefined,
    expected: "not sent: switched off (Send reasoning back in tool loops)",
  },
  {
    name: "a provider whose reasoningField is none",
    model: "noreasoning:gpt-oss-120b",
    expected: "not sent: the provider's reasoningField is none",
  },
]) {
  test(`Inspect says why no reasoning went back: ${name}`, async ({ page, scenario, upstream }) => {
    await page.setViewportSize({ width: 1400, height: 1000 });
    await scenario.script(scenarioOf());
    await twoRounds(page, scenario.tag, async () => {
      if (model) {
        await panelOf(page).getByRole("combobox", { name: "Model" }).selectOption(model);
        return;
      }
      const send = panelOf(page).getByRole("switch", {
        name: "Send reasoning back in tool loops",
      });
      await send.click();
      await expect(send).not.toBeChecked();
    });
    const second = await upstream.waitForRequest(scenario.key, { count: 2 });
    expect(second.assistantReasoning).toEqual([]);
    const dialog = await openInspect(page);
    await expect(
      dialog.getByRole("combobox", { name: "Upstream request" }).locator("option:checked"),
    ).toHaveText("Request 2 of 2");
    await expect(dialog.getByText(/^Reasoning sent back:/)).toHaveText(
      `Reasoning sent back: ${expected}`,
    );
  });
}
