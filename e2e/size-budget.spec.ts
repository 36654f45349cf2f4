import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { BUDGETS, KB, measureFirstLoad, SAMPLE_CONVERSATION } from "../scripts/bench/first-load-js";

/**
 * Size budgets of the JavaScript a first visit downloads, in gzip bytes (deterministic: gzip is
 * computed from the bodies, whatever the server sends). `npm run bench -- first-load` prints the
 * same figures with the biggest chunks named.
 */

async function importSample(context: BrowserContext): Promise<string> {
  const response = await context.request.post("/api/conversations/import", {
    data: {
      format: "thinkpane.conversation",
      version: 1,
      title: "Summing a list",
      messages: SAMPLE_CONVERSATION,
    },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Opens `path` in `context` (fresh: nothing cached) and checks its scripts against `budget`. */
async function expectWithinBudget(context: BrowserContext, path: string, budget: number) {
  const load = await measureFirstLoad(await context.newPage(), path);
  await context.close();
  expect(load.chunks.length, `${path} loads no script at all`).toBeGreaterThan(0);
  const biggest = load.chunks
    .slice(0, 5)
    .map((c) => `${c.path} ${(c.gzip / KB).toFixed(1)} KB (${c.holds.join(", ") || "?"})`)
    .join("; ");
  expect(
    load.gzip,
    `${load.route} downloads ${(load.gzip / KB).toFixed(1)} KB gzip of JavaScript, over its budget of ${budget / KB} KB. Biggest: ${biggest}`,
  ).toBeLessThanOrEqual(budget);
}

const freshContext = (browser: Browser, baseURL: string | undefined) =>
  browser.newContext({ baseURL });

test.describe("first-load JavaScript stays within budget", () => {
  test("/", async ({ browser, baseURL }) => {
    await expectWithinBudget(await freshContext(browser, baseURL), "/", BUDGETS.home);
  });

  test("/c/<id>", async ({ browser, baseURL }) => {
    const owner = await freshContext(browser, baseURL);
    const id = await importSample(owner);
    await expectWithinBudget(owner, `/c/${id}`, BUDGETS.conversation);
  });

  test("/s/<token>", async ({ browser, baseURL }) => {
    const owner = await freshContext(browser, baseURL);
    const id = await importSample(owner);
    const shared = await owner.request.post(`/api/conversations/${id}/shares`, { data: {} });
    expect(shared.status()).toBe(201);
    const { token } = ((await shared.json()) as { share: { token: string } }).share;
    await owner.close();
    // A visitor's browser: nothing cached, no cookie.
    await expectWithinBudget(await freshContext(browser, baseURL), `/s/${token}`, BUDGETS.share);
  });
});
