import type { Browser } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { ask, answered, expect, lastTurn, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";
import { createAppServer, type AppServer } from "./support/app-server";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./support/postgres";

/**
 * Two app instances on one PostgreSQL and one Redis, as a team runs it. Needs the machine's
 * servers: TEST_DATABASE_URL and TEST_REDIS_URL (CI sets both).
 */
const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const FAKE_ORIGIN = `http://127.0.0.1:${process.env.FAKE_UPSTREAM_PORT ?? 4010}`;

test.describe("two instances on one PostgreSQL and one Redis", () => {
  test.skip(!databaseUrl || !redisUrl, "needs TEST_DATABASE_URL and TEST_REDIS_URL");
  test.describe.configure({ mode: "serial", timeout: 120_000 });

  let a: AppServer;
  let b: AppServer;
  let database: ThrowawayDatabase | undefined;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    database = await createThrowawayDatabase(databaseUrl!, "tp_e2e");
    // The session secret comes from the shared database, so both instances sign alike.
    // Limits low enough to reach in a test; every other test uses a fresh browser (a new owner).
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl!,
      RATE_LIMIT_REQUESTS_PER_MINUTE: "3",
      MAX_CONCURRENT_STREAMS_PER_USER: "1",
      // As behind one reverse proxy: every test comes from an address of its own (the limits
      // count per address too, in Redis, so they would carry over between tests and repeats).
      TRUST_PROXY_HOPS: "1",
    };
    a = await createAppServer({ fakeUpstreamOrigin: FAKE_ORIGIN, env });
    b = await createAppServer({ fakeUpstreamOrigin: FAKE_ORIGIN, env });
    await a.start();
    await b.start();
  });

  /** A browser context from a /64 of its own, fresh on every run. */
  const freshClient = (browser: Browser) => {
    const address = `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}::1`;
    return browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": address } });
  };

  test.afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
    await database?.drop();
  });

  test("a conversation and a share link made on one are served by the other", async ({
    browser,
    scenario,
  }) => {
    await scenario.script(stream({ reasoning: ["Shared state."], answer: ["Made on A."] }));
    // Cookies do not depend on the port: one browser talks to both instances.
    const context = await freshClient(browser);
    const page = await context.newPage();
    await page.goto(`${a.url}/`);
    await ask(page, `Across instances ${scenario.tag}`);
    await answered(page, "Made on A.", { timeout: 20_000 });
    const path = new URL(page.url()).pathname;
    expect(path).toMatch(/^\/c\//);

    await page.goto(`${b.url}${path}`);
    await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
      "Made on A.",
    );

    const created = await page.request.post(`${b.url}/api/conversations${path.slice(2)}/shares`, {
      data: { includeReasoning: true },
      headers: { origin: b.url },
    });
    expect(created.status()).toBe(201);
    const { share } = (await created.json()) as { share: { url: string } };
    const stranger = await freshClient(browser);
    const shared = await stranger.newPage();
    await shared.goto(`${a.url}${share.url}`);
    await expect(lastTurn(shared).getByRole("region", { name: "Answer" })).toContainText(
      "Made on A.",
    );
    await stranger.close();
    await context.close();
  });

  test("a turn running on one instance is followed and stopped from the other", async ({
    browser,
    scenario,
    upstream,
  }) => {
    const pieces = Array.from({ length: 100 }, (_, i) => ` w${i}`);
    await scenario.script(
      stream({
        reasoning: ["Long."],
        answer: pieces,
        delayMs: 100,
        // Held after the role chunk, the reasoning and w0..w12 (data events) until Stop: the
        // generation is surely still running when the page on B has loaded and hydrated.
        holdAfter: [1 + 1 + 13],
      }),
    );
    const context = await freshClient(browser);
    const page = await context.newPage();
    await page.goto(`${a.url}/`);
    await ask(page, `Follow me ${scenario.tag}`);
    await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("w3", {
      timeout: 20_000,
    });
    const path = new URL(page.url()).pathname;

    // Reloading on B follows the turn that A is generating, through Redis.
    await page.goto(`${b.url}${path}`);
    await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("w12", {
      timeout: 10_000,
    });
    await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("w0 w1 w2");

    // Stop on B reaches the generation on A.
    await page.getByRole("button", { name: "Stop" }).click();
    const request = await upstream.waitForHangUp(scenario.key, { timeoutMs: 10_000 });
    expect(request.completed).toBe(false);
    await page.reload();
    await expect(lastTurn(page).getByText("Stopped", { exact: true })).toBeVisible();
    await expect(lastTurn(page)).not.toContainText("w99");
    await context.close();
  });

  test("limits count across both instances", async ({ browser, scenario }) => {
    const pieces = Array.from({ length: 30 }, (_, i) => ` p${i}`);
    await scenario.script(stream({ reasoning: ["Slow."], answer: pieces, delayMs: 60 }));
    const context = await freshClient(browser);
    const page = await context.newPage();
    await page.goto(`${a.url}/`);
    await ask(page, `Busy on A ${scenario.tag}`);
    await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("p2", {
      timeout: 20_000,
    });

    // While A generates this user's answer, B refuses a second one: the slot is in Redis.
    const send = (server: AppServer, text: string) =>
      page.request.post(`${server.url}/api/chat`, {
        headers: { origin: server.url },
        data: {
          conversationId: `c-${randomBytes(6).toString("hex")}`,
          trigger: "submit-message",
          message: { id: `m-${randomBytes(6).toString("hex")}`, text: `${text} ${scenario.tag}` },
          settings: { model: "openai/gpt-oss-120b", params: {} },
        },
      });
    const busy = await send(b, "Also on B");
    expect(busy.status()).toBe(429);
    expect(((await busy.json()) as { error: { code: string } }).error.code).toBe(
      "rate_limited:user_streams",
    );
    await answered(page, "p29", { timeout: 20_000 });

    // Requests per minute: one on A (above), one refused on B (still counted), one more on B
    // reaches the limit of 3, and the next one on A is refused.
    const third = await send(b, "Third");
    expect(third.status()).toBe(200);
    await third.body();
    const fourth = await send(a, "Fourth");
    expect(fourth.status()).toBe(429);
    expect(Number(fourth.headers()["retry-after"])).toBeGreaterThan(0);
    expect(((await fourth.json()) as { error: { code: string } }).error.code).toBe(
      "rate_limited:requests",
    );
    await context.close();
  });

  test("both instances report healthy database and Redis", async ({ request }) => {
    for (const server of [a, b]) {
      const response = await request.get(`${server.url}/api/health`);
      expect(response.status()).toBe(200);
      const text = await response.text();
      const health = JSON.parse(text) as {
        database: { kind: string; ok: boolean };
        redis: { configured: boolean; ok: boolean };
      };
      expect(health.database).toMatchObject({ kind: "postgres", ok: true });
      expect(health.redis).toMatchObject({ configured: true, ok: true });
      expect(text).not.toContain("postgres://");
      expect(text).not.toContain("127.0.0.1");
    }
  });
});
