import type { Page } from "@playwright/test";
import { ask, expect, lastTurn, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";

type Body = Record<string, unknown> & { messages: { role: string; content: unknown }[] };

async function lastBody(
  upstream: import("./fake-upstream/client").FakeUpstreamControl,
  key: string,
): Promise<Body> {
  const request = await upstream.waitForRequest(key);
  return request.body as Body;
}

async function setNumber(page: Page, label: string, value: string) {
  await page.getByRole("spinbutton", { name: label, exact: true }).fill(value);
}

const TRANSPORT_KEYS = ["model", "messages", "stream", "stream_options"];

test("every parameter set in the panel reaches the upstream under its wire name", async ({
  page,
  scenario,
  upstream,
}) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await scenario.script(stream({ answer: ["ok"] }));
  await page.goto("/");
  const panel = page.getByRole("complementary", { name: "Parameters" });

  await panel
    .getByRole("combobox", { name: "Model" })
    .selectOption({ label: "gpt-oss-20b · AI/ML API" });
  await panel.getByRole("textbox", { name: "System prompt" }).fill("You are terse.");
  await panel.getByRole("combobox", { name: "Reasoning effort" }).selectOption("high");
  await setNumber(page, "Temperature", "0.7");
  await setNumber(page, "Top P", "0.9");
  await setNumber(page, "Top K", "40");
  await setNumber(page, "Min P", "0.05");
  await setNumber(page, "Top A", "0.2");
  await setNumber(page, "Repetition penalty", "1.1");
  await setNumber(page, "Frequency penalty", "0.5");
  await setNumber(page, "Presence penalty", "-0.5");
  await setNumber(page, "Max completion tokens", "2048");
  await setNumber(page, "Seed", "42");
  await panel.getByRole("combobox", { name: "Response format" }).selectOption("json_schema");
  await panel.getByRole("textbox", { name: "Schema name" }).fill("verdict");
  await panel
    .getByRole("textbox", { name: "JSON schema" })
    .fill('{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}');
  await panel.getByRole("textbox", { name: "Logit bias" }).fill('{"50256": -100}');
  await panel.getByRole("textbox", { name: "Provider routing" }).fill("openrouter");
  await expect(panel).toContainText("14 set");

  await ask(page, `All parameters ${scenario.tag}`);
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("ok");

  const body = await lastBody(upstream, scenario.key);
  expect(body).toMatchObject({
    model: "openai/gpt-oss-20b",
    stream: true,
    stream_options: { include_usage: true },
    reasoning_effort: "high",
    temperature: 0.7,
    top_p: 0.9,
    top_k: 40,
    min_p: 0.05,
    top_a: 0.2,
    repetition_penalty: 1.1,
    frequency_penalty: 0.5,
    presence_penalty: -0.5,
    max_completion_tokens: 2048,
    seed: 42,
    response_format: {
      type: "json_schema",
      json_schema: {
        name: "verdict",
        strict: true,
        schema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
      },
    },
    logit_bias: { "50256": -100 },
    provider: "openrouter",
  });
  expect(body).not.toHaveProperty("max_tokens");
  expect(body.messages[0]).toEqual({ role: "system", content: "You are terse." });
});

test("unset parameters are not sent; Reset returns to gpt-oss's recommended defaults", async ({
  page,
  scenario,
  upstream,
}) => {
  await scenario.script(stream({ answer: ["ok"] }));
  await page.goto("/");
  const panel = page.getByRole("complementary", { name: "Parameters" });
  await setNumber(page, "Seed", "7");
  await panel.getByRole("button", { name: "Reset to defaults" }).click();
  await expect(page.getByRole("spinbutton", { name: "Seed", exact: true })).toHaveValue("");
  await expect(page.getByRole("spinbutton", { name: "Temperature", exact: true })).toHaveValue("1");
  await expect(panel).toContainText("3 set");
  await panel.getByRole("button", { name: "Unset Temperature" }).click();
  await expect(page.getByRole("spinbutton", { name: "Temperature", exact: true })).toHaveValue("");
  await expect(panel).toContainText("2 set");

  await ask(page, `Defaults ${scenario.tag}`);
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("ok");
  const body = await lastBody(upstream, scenario.key);
  expect(Object.keys(body).sort()).toEqual([...TRANSPORT_KEYS, "reasoning_effort", "top_p"].sort());
  expect(body).toMatchObject({
    model: "openai/gpt-oss-120b",
    top_p: 1,
    reasoning_effort: "medium",
  });
});

test("the slider sets a parameter too", async ({ page, scenario, upstream }) => {
  await scenario.script(stream({ answer: ["ok"] }));
  await page.goto("/");
  const slider = page.getByRole("slider", { name: "Presence penalty" });
  await slider.focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("spinbutton", { name: "Presence penalty", exact: true })).toHaveValue(
    "-1.99",
  );
  await ask(page, `Slider ${scenario.tag}`);
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("ok");
  expect((await lastBody(upstream, scenario.key)).presence_penalty).toBe(-1.99);
});

test("an out-of-range value is flagged in the panel and not sent", async ({
  page,
  scenario,
  upstream,
}) => {
  await scenario.script(stream({ answer: ["ok"] }));
  await page.goto("/");
  const input = page.getByRole("spinbutton", { name: "Temperature", exact: true });
  await input.fill("3");
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Must be at most 2.")).toBeVisible();
  await ask(page, `Out of range ${scenario.tag}`);
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("ok");
  expect((await lastBody(upstream, scenario.key)).temperature).toBe(1);
});

test("settings persist across a reload", async ({ page }) => {
  await page.goto("/");
  await setNumber(page, "Temperature", "0.3");
  await page.getByRole("textbox", { name: "System prompt" }).fill("Persist me.");
  await page.getByRole("combobox", { name: "Reasoning effort" }).selectOption("low");
  await page.reload();
  await expect(page.getByRole("spinbutton", { name: "Temperature", exact: true })).toHaveValue(
    "0.3",
  );
  await expect(page.getByRole("textbox", { name: "System prompt" })).toHaveValue("Persist me.");
  await expect(page.getByRole("combobox", { name: "Reasoning effort" })).toHaveValue("low");
});

test("the API rejects bad input with a 400 that names the field", async ({ request }) => {
  const base = {
    conversationId: "api-validation",
    trigger: "submit-message",
    message: { id: "m1", text: "hi" },
    settings: { model: "openai/gpt-oss-120b", params: {} },
  };
  const cases: [unknown, string][] = [
    [
      { ...base, settings: { ...base.settings, params: { temperature: 9 } } },
      "settings.params.temperature",
    ],
    [
      { ...base, settings: { ...base.settings, params: { top_k: "many" } } },
      "settings.params.top_k",
    ],
    [
      { ...base, settings: { ...base.settings, params: { nonsense: 1 } } },
      "settings.params.nonsense",
    ],
    [
      { ...base, settings: { ...base.settings, baseURL: "http://evil.example" } },
      "settings.baseURL",
    ],
    [{ ...base, message: { id: "m1", text: "   " } }, "message.text"],
    [{ ...base, conversationId: "../etc" }, "conversationId"],
    [{ ...base, extra: true }, "extra"],
  ];
  for (const [body, field] of cases) {
    const response = await request.post("/api/chat", { data: body });
    expect(response.status()).toBe(400);
    const json = (await response.json()) as { error: { code: string; details: { field: string } } };
    expect(json.error.code).toBe("bad_request:invalid_body");
    expect(json.error.details.field).toBe(field);
  }
  const big = await request.post("/api/chat", {
    data: { ...base, message: { id: "m1", text: "x".repeat(1_100_000) } },
  });
  expect(big.status()).toBe(413);
  const notJson = await request.post("/api/chat", {
    data: "{",
    headers: { "content-type": "application/json" },
  });
  expect(notJson.status()).toBe(400);
  // And the server keeps serving.
  expect((await request.get("/api/models")).status()).toBe(200);
});

test("saved settings that no longer validate are dropped, the rest kept", async ({ page }) => {
  await page.goto("/");
  await page.evaluate(() =>
    localStorage.setItem(
      "thinkpane.settings",
      JSON.stringify({
        state: { params: { temperature: 99, seed: 5, bogus: 1 }, system: "Kept." },
        version: 1,
      }),
    ),
  );
  await page.reload();
  await expect(page.getByRole("spinbutton", { name: "Seed", exact: true })).toHaveValue("5");
  await expect(page.getByRole("spinbutton", { name: "Temperature", exact: true })).toHaveValue("");
  await expect(page.getByRole("textbox", { name: "System prompt" })).toHaveValue("Kept.");
  await expect(page.getByRole("complementary", { name: "Parameters" })).toContainText("1 set");
});
