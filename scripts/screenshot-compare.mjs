// Takes the README screenshot of Compare: `npm run fake-upstream` and the app (with
// AIMLAPI_BASE_URL=http://127.0.0.1:4010/v1) must be running.
// Usage: node scripts/screenshot-compare.mjs [appURL]
import { openApp, scriptDefaultReply } from "./screenshot-support.mjs";

const words = (text) => text.match(/\S+\s*/g);

/** One column's reply: more reasoning the higher the effort, the same answer. */
const reply = ({ reasoning, answer, reasoningTokens, delayMs, usd }) => ({
  type: "stream",
  delayMs,
  reasoning: words(reasoning),
  answer: words(answer),
  usage: {
    prompt_tokens: 88,
    completion_tokens: reasoningTokens + 46,
    reasoning_tokens: reasoningTokens,
  },
  meta: { usd_spent: usd },
});

const answer =
  "The ball costs **$0.05**.\n\nIf the ball costs *x*, the bat costs *x* + 1.00, so " +
  "2*x* + 1.00 = 1.10 and *x* = 0.05. The intuitive $0.10 would make the bat $1.10 and the " +
  "total $1.20.";

// Sequential: the columns ask one after another, so step n is column n's reply.
await scriptDefaultReply({
  type: "sequence",
  steps: [
    reply({
      reasoning: "Ball x, bat x + 1. 2x + 1 = 1.10, x = 0.05.",
      answer,
      reasoningTokens: 24,
      delayMs: 20,
      usd: 0.000041,
    }),
    reply({
      reasoning:
        "Let the ball cost x dollars. The bat costs x + 1.00. Together 2x + 1.00 = 1.10, so " +
        "2x = 0.10 and x = 0.05. Check: 0.05 + 1.05 = 1.10, and the difference is 1.00. The " +
        "common wrong answer is 0.10; worth saying why it fails.",
      answer,
      reasoningTokens: 71,
      delayMs: 18,
      usd: 0.000062,
    }),
    reply({
      reasoning:
        "Classic cognitive-reflection question. Let the ball cost x. The bat costs x + 1.00. " +
        "Sum: x + (x + 1.00) = 1.10, so 2x = 0.10, x = 0.05. Verify: bat 1.05, ball 0.05, " +
        "total 1.10, and 1.05 − 0.05 = 1.00 as required. Now the trap: 0.10 feels right " +
        "because 1.10 − 1.00 = 0.10, but then the bat would be 1.10 and the total 1.20. " +
        "Could the prices be in cents or include tax? Nothing suggests it. Is the solution " +
        "unique? The system is linear with one unknown, so yes. I will answer 0.05, show " +
        "the equation in one line, and name the intuitive mistake.",
      answer,
      reasoningTokens: 168,
      delayMs: 16,
      usd: 0.000097,
    }),
  ],
});

const { browser, page } = await openApp({ height: 1000 });
await page.goto(new URL("/compare", page.url()).href);
await page
  .getByRole("textbox", { name: "Prompt", exact: true })
  .fill(
    "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. " +
      "How much does the ball cost?",
  );
await page.getByRole("switch", { name: "Sequential" }).click();
await page.getByRole("button", { name: "Run" }).click();
await page.getByRole("button", { name: "Stop" }).waitFor();
await page.getByRole("button", { name: "Run" }).waitFor({ timeout: 60_000 });
await page
  .getByRole("table", { name: "Comparison" })
  .getByRole("row", { name: /^Finish reason/ })
  .waitFor();
await page.waitForTimeout(800);
await page.screenshot({ path: "docs/compare.png", fullPage: true });
console.log("wrote docs/compare.png");
await browser.close();
