// Takes the README screenshots of View code, Inspect, presets and structured output: `npm run
// fake-upstream` and the app (with AIMLAPI_BASE_URL=http://127.0.0.1:4010/v1) must be running.
// Usage: node scripts/screenshot-instruments.mjs [appURL]
import { openApp, scriptDefaultReply } from "./screenshot-support.mjs";

// A realistic turn at a realistic pace (so that the timeline has a shape), under the fake's
// "default" key: untagged prompts get it, so no test tag shows in the pictures.
const scenario = {
  type: "stream",
  delayMs: 12,
  reasoning: [
    "The user wants to know whether 2^31 - 1 is prime. ",
    "It is a Mersenne number, M31. ",
    "Euler proved in 1772 that 2147483647 is prime, by checking divisors of the form 62k + 1 ",
    "and 62k + 63 up to its square root, about 46341. ",
    "I should give the answer, the reason the trial division is short, and a quick check in code.",
  ],
  answer: [
    "Yes. **2³¹ − 1 = 2,147,483,647** is prime: it is the Mersenne prime M31.\n\n",
    "Any prime factor of a Mersenne number 2ᵖ − 1 has the form 2kp + 1, so only numbers ",
    "≡ 1 or 63 (mod 62) up to √M31 ≈ 46,341 need checking, a few hundred divisions. ",
    "Euler did exactly that in 1772.\n\n",
    "```python\nn = 2**31 - 1\nprint(all(n % d for d in range(3, 46342, 2)))  # True\n```\n",
  ],
  usage: { prompt_tokens: 96, completion_tokens: 241, reasoning_tokens: 118 },
  meta: { usd_spent: 0.000071 },
};
await scriptDefaultReply(scenario);
const { browser, page } = await openApp({ height: 860 });
const panel = page.getByRole("complementary", { name: "Parameters" });

// Presets: the built-in "thorough" one, then one change, so the panel says what differs.
await panel
  .getByRole("combobox", { name: "Preset", exact: true })
  .selectOption({ label: "gpt-oss: thorough" });
await panel.getByRole("spinbutton", { name: "Temperature", exact: true }).fill("0.7");
await panel.getByText("modified", { exact: true }).waitFor();
await page.waitForTimeout(300);
await page.screenshot({ path: "docs/presets.png" });
console.log("wrote docs/presets.png");

// View code: the request the next Send would make.
await panel
  .getByRole("textbox", { name: "System prompt" })
  .fill("You are a careful number theorist.");
const box = page.getByRole("textbox", { name: "Message" });
await box.fill("Is 2^31 - 1 prime?");
await page.getByRole("button", { name: "View code" }).first().click();
const code = page.getByRole("dialog", { name: "View code" });
await code.getByRole("tab", { name: "Python (requests)" }).click();
await code.getByRole("region", { name: "Python (requests) code" }).locator("code").waitFor();
await page.waitForTimeout(800);
await page.screenshot({ path: "docs/view-code.png" });
console.log("wrote docs/view-code.png");
await page.keyboard.press("Escape");

// Inspect: the raw exchange of the answered turn.
await box.press("Enter");
await page.getByRole("group", { name: "Usage" }).waitFor();
await page.waitForTimeout(500);
await page.getByRole("article").last().getByRole("button", { name: "Inspect" }).click();
const inspect = page.getByRole("dialog", { name: "Inspect" });
await inspect.getByRole("tab", { name: "Chunks" }).click();
await inspect.getByRole("listbox", { name: "Chunks" }).getByRole("option").nth(8).click();
await page.waitForTimeout(800);
await page.screenshot({ path: "docs/inspect.png" });
console.log("wrote docs/inspect.png");
await browser.close();

// Structured output: the invoice template, and an answer whose total came back as a string.
await scriptDefaultReply({
  type: "stream",
  delayMs: 12,
  reasoning: [
    "The user pasted an invoice and wants its fields as JSON. ",
    "Invoice number INV-2031, dated 31 March 2026, from Acme Office Supplies. ",
    "The currency is EUR and the amount due is 1,284.50.",
  ],
  answer: [
    '{\n  "invoice_number": "INV-2031",\n  "issue_date": "2026-03-31",\n',
    '  "vendor": "Acme Office Supplies",\n  "currency": "EUR",\n',
    '  "total": "1,284.50"\n}',
  ],
  usage: { prompt_tokens: 312, completion_tokens: 104, reasoning_tokens: 52 },
  meta: { usd_spent: 0.000049 },
});
const structured = await openApp({ height: 900 });
const structuredPanel = structured.page.getByRole("complementary", { name: "Parameters" });
await structuredPanel
  .getByRole("textbox", { name: "System prompt" })
  .fill("Extract the invoice's fields. Dates as YYYY-MM-DD, amounts as numbers.");
await structuredPanel
  .getByRole("combobox", { name: "Response format" })
  .selectOption("json_schema");
await structuredPanel
  .getByRole("combobox", { name: "Schema template" })
  .selectOption({ label: "Extraction: invoice fields" });
await structured.page
  .getByRole("textbox", { name: "Message" })
  .fill(
    "ACME OFFICE SUPPLIES · Invoice INV-2031 · 31 March 2026\n" +
      "Ergonomic chairs ×4 … 1,036.00\nDesk lamps ×4 … 248.50\nAmount due: EUR 1,284.50",
  );
await structured.page.getByRole("textbox", { name: "Message" }).press("Enter");
await structured.page.getByRole("status", { name: "Schema check" }).waitFor();
await structuredPanel.getByRole("switch", { name: "Strict" }).scrollIntoViewIfNeeded();
await structured.page.waitForTimeout(500);
await structured.page.screenshot({ path: "docs/structured-output.png" });
console.log("wrote docs/structured-output.png");
await structured.browser.close();
