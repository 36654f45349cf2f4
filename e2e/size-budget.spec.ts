import { expect, test, type BrowserContext } from "@playwright/test";
import {
  BUDGETS,
  KB,
  measureFirstLoad,
  SAMPLE_CONVERSATION,
  type FirstLoad,
} from "../scripts/bench/first-load-js";

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

function withinBudget(load: FirstLoad, budget: number) {
  const biggest = load.chunks
    .slice(0, 5)
    .map((c) => `${c.path} ${(c.gzip / KB).toFixed(1)} KB (${c.holds.join(", ") || "?"})`)
    .join("; ");
  expect(
    load.gzip,
    `${load.route} downloads ${(load.gzip / KB).toFixed(1)} KB gzip of JavaScript, over its budget of ${budget / KB} KB. Biggest: ${biggest}`,
  ).toBeLessThanOrEqual(budget);
}

test.describe("first-load JavaScript stays within budget", () => {
  test("/", async ({ browser, baseURL }) => {
    const context = await browser.newContext();
    const load = await measureFirstLoad(await context.newPage(), `${baseURL}/`);
    expect(load.chunks.length).toBeGreaterThan(0);
    withinBudget(load, BUDGETS.home);
    await context.close();
  });

  test("/c/<id>", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL });
    const id = await importSample(context);
    const load = await measureFirstLoad(await context.newPage(), `${baseURL}/c/${id}`);
    expect(load.chunks.length).toBeGreaterThan(0);
    withinBudget(load, BUDGETS.conversation);
    await context.close();
  });

  test("/s/<token>", async ({ browser, baseURL }) => {
    const owner = await browser.newContext({ baseURL });
    const id = await importSample(owner);
    const shared = await owner.request.post(`/api/conversations/${id}/shares`, { data: {} });
    expect(shared.status()).toBe(201);
    const { token } = ((await shared.json()) as { share: { token: string } }).share;
    await owner.close();
    // A visitor's browser: nothing cached, no cookie.
    const visitor = await browser.newContext();
    const load = await measureFirstLoad(await visitor.newPage(), `${baseURL}/s/${token}`);
    expect(load.chunks.length).toBeGreaterThan(0);
    withinBudget(load, BUDGETS.share);
    await visitor.close();
  });
});
