import { randomBytes } from "node:crypto";
import { answered, ask, expect, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";
import { createAppServer, type AppServer } from "./support/app-server";

/**
 * An anonymous server's budgets hold for visitors who do not play along: a client that drops
 * its owner cookie, or writes its own X-Forwarded-For, is still counted by the address it
 * connects from; and the deployment's daily budget stops every chat once spent, without a
 * request reaching the upstream.
 */
const FAKE_ORIGIN = `http://127.0.0.1:${process.env.FAKE_UPSTREAM_PORT ?? 4010}`;

test.describe("anonymous budgets", () => {
  test.describe.configure({ mode: "serial", timeout: 90_000 });
  let limited: AppServer;
  let budgeted: AppServer;

  test.beforeAll(async () => {
    // Starting servers (PGlite included) is slow on a loaded machine.
    test.setTimeout(180_000);
    limited = await createAppServer({
      fakeUpstreamOrigin: FAKE_ORIGIN,
      env: { RATE_LIMIT_REQUESTS_PER_MINUTE: "2" },
    });
    budgeted = await createAppServer({
      fakeUpstreamOrigin: FAKE_ORIGIN,
      env: { BUDGET_TOKENS_PER_DAY: "1000" },
    });
    await Promise.all([limited.start(), budgeted.start()]);
  });

  test.afterAll(async () => {
    await Promise.all([limited?.dispose(), budgeted?.dispose()]);
  });

  test("a client that drops its cookie between requests is still limited by its address", async ({
    browser,
    scenario,
  }) => {
    await scenario.script(stream({ reasoning: ["Counting."], answer: ["Counted."] }));
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${limited.url}/`);
    await ask(page, `One ${scenario.tag}`);
    await answered(page, "Counted.", { timeout: 20_000 });
    expect((await context.cookies()).some((c) => c.name === "tp_owner")).toBe(true);

    // A fresh owner every time, and headers that claim to come from elsewhere.
    await context.clearCookies();
    const fresh = await browser.newContext({
      extraHTTPHeaders: {
        "x-forwarded-for": `203.0.113.${randomBytes(1)[0]}`,
        "x-real-ip": "203.0.113.77",
        "x-thinkpane-peer": "203.0.113.78",
      },
    });
    const second = await fresh.newPage();
    await second.goto(`${limited.url}/`);
    await ask(second, `Two ${scenario.tag}`);
    await answered(second, "Counted.", { timeout: 20_000 });

    await fresh.clearCookies();
    await second.goto(`${limited.url}/`);
    const refused = second.waitForResponse((r) => r.url().endsWith("/api/chat"));
    await ask(second, `Three, from a new cookie ${scenario.tag}`);
    const response = await refused;
    expect(response.status()).toBe(429);
    expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
    const alert = second.getByRole("main", { name: "Conversation" }).getByRole("alert");
    await expect(alert).toContainText("Request limit reached");
    await expect(alert).toContainText(
      /Your network address has sent 2 requests in the last minute.*Try again in/,
    );
    // Nothing of it was stored, but the message stays on screen to be retried.
    await expect(second.getByRole("article", { name: "Your message 1" })).toContainText(
      "Three, from a new cookie",
    );
    await expect(second.getByRole("button", { name: /^Retry in \d+ s$/ })).toBeDisabled();
    await expect(second).toHaveURL(/\/c\//);
    await second.reload();
    await expect(second.getByRole("article", { name: "Your message 1" })).toHaveCount(0);
    await context.close();
    await fresh.close();
  });

  test("the deployment budget stops every chat once spent, with nothing sent upstream", async ({
    browser,
    scenario,
    upstream,
  }) => {
    await scenario.script(
      stream({
        reasoning: ["Spending."],
        answer: ["Spent."],
        usage: { prompt_tokens: 700, completion_tokens: 400, reasoning_tokens: 300 },
      }),
    );
    const first = await browser.newContext();
    const page = await first.newPage();
    await page.goto(`${budgeted.url}/`);
    await ask(page, `Spend it ${scenario.tag}`);
    await answered(page, "Spent.", { timeout: 20_000 });

    const health = await page.request.get(`${budgeted.url}/api/health`);
    expect(await health.json()).toMatchObject({
      limits: { budgetTokensPerDay: 1000 },
      budget: { tokens: 1100 },
    });
    const sent = (await upstream.requests(scenario.key)).length;
    expect(sent).toBe(1);

    // Someone else entirely: another browser, its own owner.
    const other = await browser.newContext();
    const late = await other.newPage();
    await late.goto(`${budgeted.url}/`);
    const refused = late.waitForResponse((r) => r.url().endsWith("/api/chat"));
    await ask(late, `My turn ${scenario.tag}`);
    expect((await refused).status()).toBe(429);
    const alert = late.getByRole("main", { name: "Conversation" }).getByRole("alert");
    await expect(alert).toContainText("Daily budget reached");
    await expect(alert).toContainText(
      "This server has spent its budget of 1,000 tokens for today, for everyone. Nothing was sent to the model.",
    );
    // A wait of hours is not counted down on the button; the message says when it resets.
    await expect(alert).toContainText("It resets at 00:00 UTC");
    expect((await upstream.requests(scenario.key)).length).toBe(sent);
    await first.close();
    await other.close();
  });
});
