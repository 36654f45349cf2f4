// Takes the README screenshot of a tool loop: `npm run fake-upstream` and the app (with
// AIMLAPI_BASE_URL=http://127.0.0.1:4010/v1) must be running.
// Usage: node scripts/screenshot-tools.mjs [appURL]
import { openApp, scriptDefaultReply } from "./screenshot-support.mjs";

const words = (text) => text.match(/\S+\s*/g);

// The call (after reasoning and a one-line preamble), then the answer once the result is back.
await scriptDefaultReply({
  type: "sequence",
  steps: [
    {
      type: "stream",
      delayMs: 25,
      reasoning: words(
        "The user is in Lisbon and wants to know whether to take an umbrella this afternoon. " +
          "I need current conditions; get_weather takes a city and a unit. Call it for Lisbon " +
          "in celsius.",
      ),
      answer: words("Let me check the current weather in Lisbon."),
      toolCalls: [
        {
          id: "call_lisbon",
          name: "get_weather",
          arguments: '{"city": "Lisbon", "unit": "celsius"}',
          pieces: 4,
        },
      ],
    },
    {
      type: "stream",
      delayMs: 25,
      reasoning: words(
        "The tool says 17 °C, light rain, 4 mm expected, wind 22 km/h. Rain is light but " +
          "steady, so an umbrella is worth it; the wind is moderate, so a compact one is fine.",
      ),
      answer: words(
        "It is **17 °C with light rain** in Lisbon right now, about 4 mm expected and wind " +
          "around 22 km/h.\n\nYes, take an umbrella: the rain is light but steady. A compact " +
          "one will do, since the wind is only moderate.",
      ),
      finishReason: "stop",
    },
  ],
});

const { browser, page } = await openApp({ height: 1050 });
const panel = page.getByRole("complementary", { name: "Parameters" });
await panel.getByRole("button", { name: "Add tool" }).click();
const dialog = page.getByRole("dialog", { name: "Add tool" });
await dialog.getByRole("combobox", { name: "Template" }).selectOption({ index: 1 });
await dialog.getByRole("button", { name: "Save tool" }).click();
await dialog.waitFor({ state: "hidden" });

await page
  .getByRole("textbox", { name: "Message" })
  .fill("I'm in Lisbon this afternoon. Do I need an umbrella?");
await page.getByRole("button", { name: "Send", exact: true }).click();
const result = page.getByRole("textbox", { name: "Result for get_weather" });
await result.waitFor({ timeout: 60_000 });
await result.fill(
  '{"temperature": 17, "unit": "celsius", "conditions": "light rain", "precip_mm": 4, "wind_kmh": 22}',
);
await page.getByRole("button", { name: "Submit results" }).click();
await page.getByText("A compact one will do").waitFor({ timeout: 60_000 });
await page.getByRole("button", { name: "Send", exact: true }).waitFor({ timeout: 60_000 });
await page.waitForTimeout(800);
await page.screenshot({ path: "docs/tools.png" });
console.log("wrote docs/tools.png");
await browser.close();
