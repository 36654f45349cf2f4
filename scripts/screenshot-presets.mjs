// Takes the README's presets screenshot: `npm run fake-upstream` and the app (with
// AIMLAPI_BASE_URL=http://127.0.0.1:4010/v1) must be running.
// Usage: node scripts/screenshot-presets.mjs [appURL]
import { chromium } from "@playwright/test";

const app = process.argv[2] ?? "http://127.0.0.1:3000";
const fake = new URL(process.env.FAKE_UPSTREAM_ORIGIN ?? "http://127.0.0.1:4010");
// Untagged requests are filed under "default": scripting it keeps test tags out of the picture.
await fetch(new URL("/__fake/scenarios/default", fake), {
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    type: "stream",
    delayMs: 1,
    reasoning: [
      "Two trains 300 km apart close at 60 + 90 = 150 km/h, ",
      "so they meet after 300 / 150 = 2 hours.",
    ],
    answer: ["They meet after **2 hours**, 120 km from the first train's station."],
    usage: { prompt_tokens: 61, completion_tokens: 148, reasoning_tokens: 119 },
    meta: { usd_spent: 0.000042 },
  }),
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage({
  viewport: { width: 1360, height: 820 },
  deviceScaleFactor: 1,
});
await page.goto(app);
const panel = page.getByRole("complementary", { name: "Parameters" });
await panel
  .getByRole("combobox", { name: "Preset", exact: true })
  .selectOption({ label: "gpt-oss: thorough" });
await page.getByRole("spinbutton", { name: "Temperature", exact: true }).fill("0.7");
await page.getByRole("spinbutton", { name: "Seed", exact: true }).fill("42");
const box = page.getByRole("textbox", { name: "Message" });
await box.fill(
  "Two trains leave stations 300 km apart towards each other at 60 and 90 km/h. When do they meet?",
);
await box.press("Enter");
await page.getByRole("group", { name: "Usage" }).getByText("Preset").waitFor();
// Filling the fields scrolled the panel: back to its top, where the Preset section is.
await panel.getByRole("combobox", { name: "Preset", exact: true }).scrollIntoViewIfNeeded();
await page.getByRole("textbox", { name: "Message" }).focus();
await page.waitForTimeout(1500);
await page.screenshot({ path: "docs/presets.png" });
await browser.close();
console.log("wrote docs/presets.png");
