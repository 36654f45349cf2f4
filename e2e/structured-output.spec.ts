import type { Page } from "@playwright/test";
import { ask, expect, lastTurn, test } from "./fixtures";
import { structured } from "./fake-upstream/structured";

/** Fields of the "Extraction: invoice fields" template, as a model would fill them. */
const invoice = {
  invoice_number: "INV-2031",
  issue_date: "2026-03-31",
  vendor: "Acme Office Supplies",
  currency: "EUR",
  total: 1284.5,
};

const parametersPanel = (page: Page) => page.getByRole("complementary", { name: "Parameters" });

async function chooseInvoiceSchema(page: Page) {
  const panel = parametersPanel(page);
  await panel.getByRole("combobox", { name: "Response format" }).selectOption("json_schema");
  await panel
    .getByRole("combobox", { name: "Schema template" })
    .selectOption({ label: "Extraction: invoice fields" });
  await expect(panel.getByRole("textbox", { name: "Schema name" })).toHaveValue("invoice");
  await expect(panel.getByRole("textbox", { name: "JSON schema" })).toHaveValue(/"invoice_number"/);
}

const schemaCheck = (page: Page) =>
  lastTurn(page).getByRole("region", { name: "Answer" }).getByRole("status", {
    name: "Schema check",
  });

test("the JSON schema editor: templates, errors by line and column, Format, the Strict switch", async ({
  page,
  scenario,
  upstream,
}) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await scenario.script(structured.json({ ok: true }));
  await page.goto("/");
  const panel = parametersPanel(page);
  await chooseInvoiceSchema(page);
  // The built-in provider does not promise to enforce a schema.
  await expect(panel.getByText("Schema enforcement: Best effort.")).toBeVisible();

  const editor = panel.getByRole("textbox", { name: "JSON schema" });
  const format = panel.getByRole("button", { name: "Format", exact: true });
  await editor.fill('{\n  "type": "object",,\n  "required": ["ok"]\n}');
  await expect(editor).toHaveAttribute("aria-invalid", "true");
  await expect(editor).toHaveAccessibleDescription(
    "JSON error at line 2, column 20: expected a property name in double quotes",
  );
  await expect(format).toBeDisabled();

  await editor.fill('{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}');
  await expect(editor).not.toHaveAttribute("aria-invalid");
  await format.click();
  await expect(editor).toHaveValue(
    '{\n  "type": "object",\n  "properties": {\n    "ok": {\n      "type": "boolean"\n    }\n  },\n  "required": [\n    "ok"\n  ]\n}',
  );

  const strict = panel.getByRole("switch", { name: "Strict" });
  await expect(strict).toBeChecked();
  await strict.focus();
  await page.keyboard.press("Space");
  await expect(strict).not.toBeChecked();

  await ask(page, `Is it ok? ${scenario.tag}`);
  await expect(schemaCheck(page)).toHaveText(/^Valid: the answer is JSON that matches/);
  const request = await upstream.waitForRequest(scenario.key);
  expect((request.body as { response_format: unknown }).response_format).toEqual({
    type: "json_schema",
    json_schema: {
      name: "invoice",
      strict: false,
      schema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
    },
  });
});

test("each way an answer misses the schema says why; the verdicts are kept and shared", async ({
  page,
  browser,
  scenario,
}) => {
  // Six turns, a reload and a shared page: about 15 s on a loaded machine.
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto("/");
  await chooseInvoiceSchema(page);

  const { total: _total, ...withoutTotal } = invoice;
  const turns = [
    {
      scenario: structured.json(invoice),
      verdict: /^Valid: the answer is JSON that matches the schema "invoice"\./,
    },
    {
      scenario: structured.json({ ...withoutTotal, currency: 978 }),
      verdict:
        /^Invalid: the JSON does not match the schema "invoice" \(2 errors\)\..*\$\.total is required but missing.*\$\.currency expected string, got number/,
    },
    {
      scenario: structured.fenced(invoice),
      verdict: /^Invalid: the JSON is wrapped in a Markdown code fence/,
    },
    {
      scenario: structured.inReasoning(invoice),
      verdict: /^Invalid: the answer is empty, but JSON was found in the reasoning instead\./,
    },
    {
      scenario: structured.cutOff(invoice),
      verdict:
        /^Invalid: cut off: the token budget ran out \(finish_reason "length"\) before the JSON was complete\./,
    },
    {
      scenario: structured.prose("The invoice INV-2031 from Acme totals 1,284.50 EUR."),
      verdict: /^Invalid: the answer is not JSON \(line 1, column 1: expected a value/,
    },
  ];
  for (const [i, turn] of turns.entries()) {
    await scenario.script(turn.scenario);
    await ask(page, `Extract the invoice fields, try ${i + 1} ${scenario.tag}`);
    await expect(page.getByRole("article", { name: `Assistant turn ${i + 1}` })).toBeVisible();
    await expect(schemaCheck(page)).toHaveText(turn.verdict);
    await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  }
  // The parsed value is shown, from wherever it was found.
  const first = page.getByRole("article", { name: "Assistant turn 1" });
  await expect(first.getByRole("region", { name: "Parsed JSON" })).toContainText(
    '"invoice_number": "INV-2031"',
  );
  const fourth = page.getByRole("article", { name: "Assistant turn 4" });
  await expect(
    fourth.getByRole("region", { name: "Parsed JSON (found in the reasoning)" }),
  ).toContainText('"vendor": "Acme Office Supplies"');

  // Stored with the turn: a reload shows the same verdicts.
  await page.reload();
  for (const [i, turn] of turns.entries())
    await expect(
      page
        .getByRole("article", { name: `Assistant turn ${i + 1}` })
        .getByRole("status", { name: "Schema check" }),
    ).toHaveText(turn.verdict);

  // And shared: the server-rendered page shows them without any script.
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Share conversation" });
  await dialog.getByRole("button", { name: "Create link" }).click();
  const url = await dialog.getByRole("textbox", { name: "Share link" }).inputValue();
  const reader = await browser.newContext({ javaScriptEnabled: false });
  const shared = await reader.newPage();
  await shared.goto(new URL(url).pathname);
  for (const [i, turn] of turns.entries())
    await expect(
      shared
        .getByRole("article", { name: `Assistant turn ${i + 1}` })
        .getByRole("region", { name: "Answer" })
        .getByRole("status", { name: "Schema check" }),
    ).toHaveText(turn.verdict);
  await expect(
    shared
      .getByRole("article", { name: "Assistant turn 1" })
      .getByRole("region", { name: "Parsed JSON" }),
  ).toContainText('"total": 1284.5');
  await reader.close();
});
