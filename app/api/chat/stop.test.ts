import { describe, expect, it, vi } from "vitest";
import { uniqueKey } from "@/e2e/fake-upstream/client";
import { percentiles, readUntil } from "@/e2e/support/chat-client";
import { rateLimited, sequence, stream } from "@/e2e/fake-upstream/scenario";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { startTurn, stopTurn, storedMessages, setupChatRoute } from "./route-harness";

/**
 * Stop closes the upstream connection within 1 s, every time: 20 trials per situation, timed
 * from the Stop request to the moment the fake upstream saw the connection close. (Stop from
 * another instance, through Redis, is in e2e/load.spec.ts.)
 */

vi.mock("next/headers", () => import("@/lib/testing/browser"));

const TRIALS = 20;
const LIMIT_MS = 1_000;
const RETRY_AFTER_S = 4;

const route = setupChatRoute({ UPSTREAM_IDLE_TIMEOUT_MS: "30000" });

/** p50 and max of the latencies, for the log and the report. */
function summary(name: string, latencies: number[]) {
  const { p50, max } = percentiles(latencies);
  console.info(`stop latency, ${name}: p50 ${p50} ms, max ${max} ms, n ${latencies.length}`);
}

/** Runs one trial: starts a turn, waits for `ready`, stops it, returns ms until the hang-up. */
async function trial(
  scenario: Parameters<typeof route.control.script>[1],
  ready: (key: string, response: Response) => Promise<{ drain(): Promise<unknown> }>,
) {
  const browser = new TestBrowser();
  const conversationId = uniqueId("c");
  const key = uniqueKey("stop");
  await route.control.script(key, scenario);
  const response = await startTurn(browser, conversationId, key, "Go on");
  const reading = await ready(key, response);

  const stopAt = Date.now();
  expect(await stopTurn(browser, conversationId)).toBe(true);
  const hungUp = await route.control.waitForHangUp(key, { timeoutMs: 5_000 });
  await reading.drain();
  const turnEnded = Date.now() - stopAt;
  const [, answer] = await storedMessages(browser, conversationId);
  expect(answer?.status).toBe("stopped");
  return { hangUp: hungUp.clientClosedAt! - stopAt, turnEnded, key };
}

describe("Stop closes the upstream connection within 1 s, 20 of 20", () => {
  it("while the answer streams", async () => {
    const pieces = Array.from({ length: 400 }, (_, i) => ` w${i}`);
    const latencies: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const { hangUp } = await trial(stream({ answer: pieces, delayMs: 20 }), (_, response) =>
        readUntil(response, " w3"),
      );
      latencies.push(hangUp);
    }
    summary("mid-stream", latencies);
    expect(latencies.filter((ms) => ms > LIMIT_MS)).toEqual([]);
  }, 120_000);

  it("while the upstream has not answered yet", async () => {
    const latencies: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const { hangUp } = await trial(
        stream({ firstByteDelayMs: 20_000 }),
        async (key, response) => {
          await route.control.waitForRequest(key);
          return { drain: () => response.text() };
        },
      );
      latencies.push(hangUp);
    }
    summary("before the first byte", latencies);
    expect(latencies.filter((ms) => ms > LIMIT_MS)).toEqual([]);
  }, 120_000);

  it("while a retry waits out Retry-After: the turn ends and no retry is sent", async () => {
    route.configure({ UPSTREAM_IDLE_TIMEOUT_MS: "30000", UPSTREAM_MAX_RETRIES: "2" });
    // The second attempt answers slowly, so a retry that slipped through would still be open.
    const scenario = sequence(rateLimited(RETRY_AFTER_S), stream({ firstByteDelayMs: 20_000 }));
    const ended: number[] = [];
    const keys: string[] = [];
    const started = Date.now();
    for (let i = 0; i < TRIALS; i++) {
      const browser = new TestBrowser();
      const conversationId = uniqueId("c");
      const key = uniqueKey("stop-retry");
      await route.control.script(key, scenario);
      const response = await startTurn(browser, conversationId, key, "Go on");
      // The 429 was answered: the app is now waiting to retry.
      const first = await route.control.waitForRequest(key);
      expect(first.status).toBe(429);

      const stopAt = Date.now();
      expect(await stopTurn(browser, conversationId)).toBe(true);
      await response.text();
      ended.push(Date.now() - stopAt);
      const [, answer] = await storedMessages(browser, conversationId);
      expect(answer?.status).toBe("stopped");
      keys.push(key);
    }
    summary("during a retry wait (turn ended)", ended);
    expect(ended.filter((ms) => ms > LIMIT_MS)).toEqual([]);
    // Past every Retry-After: a retry that ignored Stop would have arrived by now.
    const retryDue = started + RETRY_AFTER_S * 1000 + 500;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, retryDue - Date.now())));
    for (const key of keys) expect(await route.control.requests(key)).toHaveLength(1);
  }, 120_000);
});
