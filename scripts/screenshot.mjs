// Takes the README screenshot: `npm run fake-upstream` and the app (with
// AIMLAPI_BASE_URL=http://127.0.0.1:4010/v1) must be running. Usage: node scripts/screenshot.mjs [appURL]
import { openApp, scriptDefaultReply } from "./screenshot-support.mjs";

const scenario = {
  type: "stream",
  delayMs: 40,
  reasoning: [
    "The user asks for the sum of the first 100 positive integers. ",
    "Gauss's trick: pair 1 with 100, 2 with 99, and so on. Each pair sums to 101, and there are 50 pairs. ",
    "So the total is 50 × 101 = 5050. Let me also give the general formula n(n+1)/2 and a short code check.",
  ],
  answer: [
    "The sum is **5050**.\n\n",
    "Pair the numbers from both ends: 1 + 100, 2 + 99, …, 50 + 51. That is 50 pairs of 101, so\n\n",
    "$$\\sum_{k=1}^{100} k = \\frac{100 \\cdot 101}{2} = 5050$$\n\n",
    "```python\nprint(sum(range(1, 101)))  # 5050\n```\n",
  ],
  usage: { prompt_tokens: 84, completion_tokens: 212, reasoning_tokens: 97 },
  meta: { usd_spent: 0.000061 },
};
await scriptDefaultReply(scenario);
const { browser, page } = await openApp({ height: 820 });
const box = page.getByRole("textbox", { name: "Message" });
await box.fill("What is the sum of the integers from 1 to 100?");
await box.press("Enter");
await page.getByRole("group", { name: "Usage" }).waitFor();
await page.waitForTimeout(1500);
await page.screenshot({ path: "docs/screenshot.png" });
await browser.close();
console.log("wrote docs/screenshot.png");
