import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeUpstreamControl, uniqueKey } from "@/e2e/fake-upstream/client";
import { stream } from "@/e2e/fake-upstream/scenario";
import { startFakeUpstream, type FakeUpstream } from "@/e2e/fake-upstream/server";
import { PEER_HEADER } from "@/lib/auth/client-address";
import { closeDb, getDb } from "@/lib/db/client";
import { getConversation } from "@/lib/db/conversations";
import { usageEvents } from "@/lib/db/schema";
import { ThinkpaneError } from "@/lib/errors";
import { chatRequest, submitBody } from "@/lib/testing/chat-request";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { configureEnv, ENV_VARS, restoreEnv } from "@/lib/testing/env";
import { POST as SIGN_IN } from "../auth/sign-in/route";
import { GET as HEALTH } from "../health/route";
import { GET as USAGE } from "../usage/route";
import { POST } from "./route";

vi.mock("next/headers", () => import("@/lib/testing/browser"));

/**
 * Budgets through the chat route: each limit answers 429 with Retry-After and a message that
 * names it, the user's message survives, and finished turns land in the usage ledger. The same
 * limiter code on Redis is covered in lib/limits; across two app instances in e2e.
 */

let fake: FakeUpstream;
let control: FakeUpstreamControl;
let dataDir: string;

function configure(extra: Record<string, string> = {}) {
  configureEnv({
    ...Object.fromEntries(ENV_VARS.map((name) => [name, undefined])),
    AIMLAPI_BASE_URL: fake.baseURL,
    AIMLAPI_API_KEY: "sk-limits-test",
    UPSTREAM_MAX_RETRIES: "0",
    DATA_DIR: dataDir,
    ...extra,
  });
}

beforeAll(async () => {
  fake = await startFakeUpstream();
  control = new FakeUpstreamControl(fake.origin);
  dataDir = await mkdtemp(path.join(tmpdir(), "thinkpane-limits-"));
  configure();
  await getDb();
}, 30_000);

afterAll(async () => {
  await closeDb();
  restoreEnv();
  await rm(dataDir, { recursive: true, force: true });
  await fake?.close();
});

beforeEach(() => {
  for (const method of ["log", "warn", "error"] as const)
    vi.spyOn(console, method).mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  restoreEnv();
});

function submit(key: string, conversationId = uniqueId("c"), text = "Say hello") {
  return submitBody(conversationId, text, { key });
}

function post(browser: TestBrowser, body: unknown, address = browser.address): Promise<Response> {
  return browser.run(() => POST(chatRequest(body, { address })));
}

async function refused(response: Response) {
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    error: ThinkpaneError.fromText(text),
  };
}

describe("POST /api/chat: budgets", () => {
  it("answers 429 over the requests-per-minute limit and stores nothing of the refused request", async () => {
    configure({ RATE_LIMIT_REQUESTS_PER_MINUTE: "2" });
    const browser = new TestBrowser();
    const key = uniqueKey("rpm");
    for (let i = 0; i < 2; i++) {
      const ok = await post(browser, submit(key));
      expect(ok.status).toBe(200);
      await ok.text();
    }
    const conversationId = uniqueId("c");
    const third = await refused(await post(browser, submit(key, conversationId, "kept please")));
    expect(third.status).toBe(429);
    expect(third.error.code).toBe("rate_limited:requests");
    expect(third.error.message).toMatch(/2 requests in the last minute.*Try again in/);
    expect(Number(third.retryAfter)).toBeGreaterThan(0);
    expect(Number(third.retryAfter)).toBeLessThanOrEqual(60);

    // Refused before anything is written: no conversation, no message (the browser keeps it
    // on screen, and Retry sends it again).
    const ownerId = browser.cookie("tp_owner")!.value.split(".")[0]!;
    expect(await getConversation({ id: conversationId, ownerId })).toBeUndefined();
    // Someone else is not limited by it.
    const other = await post(new TestBrowser(), submit(key));
    expect(other.status).toBe(200);
    await other.text();
  });

  it("counts reasoning tokens against the daily budget and books each turn in the ledger", async () => {
    configure({ RATE_LIMIT_TOKENS_PER_DAY: "150" });
    const browser = new TestBrowser();
    const key = uniqueKey("tokens");
    await control.script(
      key,
      stream({
        usage: { prompt_tokens: 84, completion_tokens: 57, reasoning_tokens: 40 },
        meta: { usd_spent: 0.000123 },
      }),
    );
    const conversationId = uniqueId("c");
    const first = await post(browser, submit(key, conversationId));
    expect(first.status).toBe(200);
    await first.text();

    const ledger = await (
      await getDb()
    )
      .select()
      .from(usageEvents)
      .where(eq(usageEvents.conversationId, conversationId));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      promptTokens: 84,
      completionTokens: 57,
      reasoningTokens: 40,
      costUsd: 0.000123,
      estimated: false,
      status: "done",
      model: "openai/gpt-oss-120b",
    });

    // 141 of 150 spent: one more turn may start (budgets are checked before a turn, not during)…
    const second = await post(browser, submit(key));
    expect(second.status).toBe(200);
    await second.text();
    // …and after it, the day's budget is gone until midnight UTC.
    const third = await refused(await post(browser, submit(key)));
    expect(third.status).toBe(429);
    expect(third.error.code).toBe("rate_limited:tokens");
    expect(third.error.message).toContain("150 tokens");
    expect(third.error.message).toContain("resets at 00:00 UTC");
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    expect(Math.abs(Number(third.retryAfter) - (midnight - now.getTime()) / 1000)).toBeLessThan(10);
  });

  it("caps answers generating at once per user, and frees the slot when the answer ends", async () => {
    configure({ MAX_CONCURRENT_STREAMS_PER_USER: "1" });
    const browser = new TestBrowser();
    const slow = uniqueKey("slow");
    await control.script(slow, stream({ delayMs: 80, answer: ["a", "b", "c", "d", "e", "f"] }));
    const running = await post(browser, submit(slow));
    expect(running.status).toBe(200);

    const busy = await refused(await post(browser, submit(uniqueKey("second"))));
    expect(busy.status).toBe(429);
    expect(busy.error.code).toBe("rate_limited:user_streams");
    expect(busy.error.message).toContain("You already have 1 answer generating");
    expect(Number(busy.retryAfter)).toBeGreaterThan(0);

    await running.text(); // the answer ends
    const after = await post(browser, submit(uniqueKey("third")));
    expect(after.status).toBe(200);
    await after.text();
  });

  it("counts an anonymous client by address too: a browser that drops its cookie is still limited", async () => {
    configure({ RATE_LIMIT_REQUESTS_PER_MINUTE: "2" });
    const address = uniqueId("198.51.100");
    const key = uniqueKey("cookieless");
    for (let i = 0; i < 2; i++) {
      // A new browser each time: a fresh owner cookie, the same address.
      const ok = await post(new TestBrowser(), submit(key), address);
      expect(ok.status).toBe(200);
      await ok.text();
    }
    const third = await refused(await post(new TestBrowser(), submit(key), address));
    expect(third.status).toBe(429);
    expect(third.error.code).toBe("rate_limited:requests");
    expect(third.error.message).toMatch(/^Your network address has sent 2 requests/);
    // Another address is not.
    const elsewhere = await post(new TestBrowser(), submit(key), uniqueId("198.51.100"));
    expect(elsewhere.status).toBe(200);
    await elsewhere.text();
  });

  it("signed-in users are counted by name alone, not by a shared office address", async () => {
    configure({
      ACCESS_CODES: "carol:carol-code-123,dave:dave-code-4567",
      SESSION_SECRET: "s".repeat(40),
      RATE_LIMIT_REQUESTS_PER_MINUTE: "1",
    });
    const office = uniqueId("192.0.2");
    for (const code of ["carol-code-123", "dave-code-4567"]) {
      const browser = new TestBrowser();
      const signedIn = await browser.run(() =>
        SIGN_IN(
          new Request("http://localhost/api/auth/sign-in", {
            method: "POST",
            headers: { "content-type": "application/json", [PEER_HEADER]: office },
            body: JSON.stringify({ code }),
          }),
        ),
      );
      expect(signedIn.status).toBe(200);
      const ok = await post(browser, submit(uniqueKey("office")), office);
      expect(ok.status).toBe(200);
      await ok.text();
    }
  });

  it("stops every chat once the deployment's daily budget is spent, sending nothing upstream", async () => {
    configure({ BUDGET_TOKENS_PER_DAY: "100" });
    const key = uniqueKey("budget");
    await control.script(
      key,
      stream({ usage: { prompt_tokens: 60, completion_tokens: 50, reasoning_tokens: 20 } }),
    );
    const first = await post(new TestBrowser(), submit(key));
    expect(first.status).toBe(200);
    await first.text();

    const health = (await (await HEALTH()).json()) as { budget: { tokens: number } };
    expect(health.budget.tokens).toBe(110);

    const before = (await control.requests(key)).length;
    const conversationId = uniqueId("c");
    const browser = new TestBrowser();
    const refusedTurn = await refused(await post(browser, submit(key, conversationId)));
    expect(refusedTurn.status).toBe(429);
    expect(refusedTurn.error.code).toBe("rate_limited:budget");
    expect(refusedTurn.error.message).toMatch(
      /^This server has spent its budget of 100 tokens for today, for everyone\. Nothing was sent to the model\./,
    );
    expect((await control.requests(key)).length).toBe(before);
    const ownerId = browser.cookie("tp_owner")!.value.split(".")[0]!;
    expect(await getConversation({ id: conversationId, ownerId })).toBeUndefined();
  });

  it("caps answers at once for the whole server", async () => {
    configure({ MAX_CONCURRENT_STREAMS: "1" });
    const slow = uniqueKey("slow-all");
    await control.script(slow, stream({ delayMs: 80, answer: ["a", "b", "c", "d", "e", "f"] }));
    const running = await post(new TestBrowser(), submit(slow));
    expect(running.status).toBe(200);
    const busy = await refused(await post(new TestBrowser(), submit(uniqueKey("other"))));
    expect(busy.status).toBe(429);
    expect(busy.error.code).toBe("rate_limited:server_streams");
    await running.text();
  });
});

describe("GET /api/health: exposure", () => {
  it("warns when the server listens beyond loopback without sign-in, and not otherwise", async () => {
    configure({ HOSTNAME: "0.0.0.0" });
    const open = (await (await HEALTH()).json()) as { warnings: string[]; status: string };
    expect(open.status).toBe("ok");
    expect(open.warnings).toEqual([
      expect.stringMatching(
        /^Listening on 0\.0\.0\.0 without ACCESS_CODES: anyone who can reach this server can spend its API key/,
      ),
    ]);
    configure({ HOSTNAME: "127.0.0.1" });
    expect(((await (await HEALTH()).json()) as { warnings: string[] }).warnings).toEqual([]);
    configure({ HOSTNAME: "0.0.0.0", ACCESS_CODES: "erin:erin-code-1234" });
    expect(((await (await HEALTH()).json()) as { warnings: string[] }).warnings).toEqual([]);
  });
});

describe("with ACCESS_CODES", () => {
  const codes = "alice:alice-code-123,bob:bob-code-4567";

  async function signIn(browser: TestBrowser, code: string) {
    return browser.run(() =>
      SIGN_IN(
        new Request("http://localhost/api/auth/sign-in", {
          method: "POST",
          headers: { "content-type": "application/json", [PEER_HEADER]: uniqueId("ip") },
          body: JSON.stringify({ code }),
        }),
      ),
    );
  }

  it("needs a session to chat, and a named code's user owns the conversation and its usage", async () => {
    configure({ ACCESS_CODES: codes, SESSION_SECRET: "s".repeat(40) });
    const browser = new TestBrowser();
    const anonymous = await refused(await post(browser, submit(uniqueKey("anon"))));
    expect(anonymous.status).toBe(401);
    expect(anonymous.error.code).toBe("auth:required");
    expect(browser.cookie("tp_owner")).toBeUndefined();

    const wrong = await signIn(browser, "not-a-code");
    expect(wrong.status).toBe(401);
    expect((await refused(wrong)).error.code).toBe("auth:invalid_code");

    const right = await signIn(browser, "alice-code-123");
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ user: "alice" });
    expect(browser.cookie("tp_session")?.options).toMatchObject({
      httpOnly: true,
      sameSite: "lax",
      path: "/",
    });

    const conversationId = uniqueId("c");
    const ok = await post(browser, submit(uniqueKey("alice"), conversationId));
    expect(ok.status).toBe(200);
    await ok.text();
    expect(await getConversation({ id: conversationId, ownerId: "user:alice" })).toBeDefined();

    const usage = await browser.run(() => USAGE(new Request("http://localhost/api/usage?days=1")));
    expect(usage.status).toBe(200);
    const report = (await usage.json()) as {
      scope: string;
      rows: { user: string; turns: number }[];
    };
    expect(report.scope).toBe("team");
    expect(report.rows.find((r) => r.user === "alice")?.turns).toBeGreaterThanOrEqual(1);

    const badDays = await browser.run(() =>
      USAGE(new Request("http://localhost/api/usage?days=0")),
    );
    expect(badDays.status).toBe(400);
    expect((await refused(badDays)).error.details.field).toBe("days");
  });

  it("GET /api/health says sign-in is on and names the limits, never a user or a code", async () => {
    configure({ ACCESS_CODES: codes, RATE_LIMIT_REQUESTS_PER_MINUTE: "7" });
    const response = await HEALTH();
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({
      access: { signIn: true, codes: 2, sharesRequireSignIn: false },
      limits: { store: "memory", requestsPerMinute: 7 },
    });
    for (const secret of ["alice", "bob", "code-123", "code-4567"])
      expect(text).not.toContain(secret);
  });
});
