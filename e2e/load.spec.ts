import { uniqueKey } from "./fake-upstream/client";
import { expect, test } from "./fixtures";
import { createAppServer, type AppServer } from "./support/app-server";
import { concurrentTurns, LOAD_LIMITS, stopTrials, turnsCutShort } from "./support/load";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./support/postgres";

/**
 * The load and restart suite: hundreds of turns at once, Stop across instances, and a server
 * killed under 50 running turns. It loads the machine, so it runs on its own after the other
 * specs (the `load` project). Alone: `npx playwright test --project=load --no-deps`.
 */

const FAKE_ORIGIN = `http://127.0.0.1:${process.env.FAKE_UPSTREAM_PORT ?? 4010}`;
const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;

test.describe("one instance on PGlite", () => {
  test.describe.configure({ mode: "serial", timeout: 120_000 });
  let server: AppServer;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await createAppServer({ fakeUpstreamOrigin: FAKE_ORIGIN, env: LOAD_LIMITS });
    await server.start();
  });

  test.afterAll(async () => {
    await server?.dispose();
  });

  test("200 concurrent streams from 20 owners", async ({ upstream }) => {
    test.setTimeout(300_000);
    await concurrentTurns([server.url], upstream, uniqueKey("load-pglite"));
  });

  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    test(`${signal} during 50 running turns: every message kept, every turn ends with its checkpoint`, async ({
      upstream,
    }) => {
      const check = await turnsCutShort(server.url, upstream, uniqueKey(`restart-${signal}`));
      await server.stop(signal);
      await server.start();
      await check();
    });
  }
});

test.describe("two instances on PostgreSQL and Redis", () => {
  test.skip(!databaseUrl || !redisUrl, "needs TEST_DATABASE_URL and TEST_REDIS_URL");
  test.describe.configure({ mode: "serial", timeout: 120_000 });
  let a: AppServer;
  let b: AppServer;
  let database: ThrowawayDatabase | undefined;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    database = await createThrowawayDatabase(databaseUrl!, "tp_load");
    const env = { ...LOAD_LIMITS, DATABASE_URL: database.url, REDIS_URL: redisUrl! };
    a = await createAppServer({ fakeUpstreamOrigin: FAKE_ORIGIN, env });
    b = await createAppServer({ fakeUpstreamOrigin: FAKE_ORIGIN, env });
    await Promise.all([a.start(), b.start()]);
  });

  test.afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
    await database?.drop();
  });

  test("Stop from the instance that follows the turn closes the upstream within 1 s, 20 of 20", async ({
    upstream,
  }) => {
    const latencies = await stopTrials(a.url, b.url, upstream, () => uniqueKey("stop-b"));
    expect(latencies).toHaveLength(20);
  });

  test("200 concurrent streams from 20 owners over both instances", async ({ upstream }) => {
    test.setTimeout(300_000);
    await concurrentTurns([a.url, b.url], upstream, uniqueKey("load-pg"));
  });
});
