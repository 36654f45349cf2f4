import { describe, expect, it, vi } from "vitest";
import { ThinkpaneError } from "@/lib/errors";
import { uniqueId } from "@/lib/testing/db";
import { suiteRedis, testRedisUrl } from "@/lib/testing/redis";
import { formatWait, Limits, type LimitsConfig, type Requester, utcDay } from "./limits";

const generous: LimitsConfig = {
  requestsPerMinute: 100,
  tokensPerDay: 1_000_000,
  streamsPerUser: 100,
  streamsTotal: 100,
  budgetTokensPerDay: 0,
  budgetUsdPerDay: 0,
};

/** A signed-in user: counted by owner alone. */
const as = (owner: string): Requester => ({ owner });

async function rejection(promise: Promise<unknown>): Promise<ThinkpaneError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!ThinkpaneError.is(error)) throw new Error(`expected a ThinkpaneError, got ${String(error)}`);
  return error;
}

describe("formatWait and utcDay", () => {
  it("reads like a person would say it", () => {
    expect(formatWait(0.2)).toBe("1 s");
    expect(formatWait(42)).toBe("42 s");
    expect(formatWait(61)).toBe("2 min");
    expect(formatWait(3600)).toBe("1 h");
    expect(formatWait(3 * 3600 + 11 * 60 + 5)).toBe("3 h 12 min");
  });

  it("names the UTC day and the seconds to the next one", () => {
    const now = Date.UTC(2026, 10, 25, 23, 59, 30);
    expect(utcDay(now)).toEqual({ day: "2026-11-25", secondsLeft: 30 });
    expect(utcDay(Date.UTC(2026, 11, 31, 0, 0, 0)).secondsLeft).toBe(86_400);
  });
});

/** The same behaviour in process and in Redis; `make` builds a limiter on the store under test. */
function limitSuite(make: (config: LimitsConfig) => Limits) {
  it("allows the configured requests per minute, then answers 429 with the wait", async () => {
    const limits = make({ ...generous, requestsPerMinute: 3 });
    const user = uniqueId("u");
    for (let i = 0; i < 3; i++) await (await limits.admit(as(user))).release();
    const error = await rejection(limits.admit(as(user)));
    expect(error.code).toBe("rate_limited:requests");
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/3 requests in the last minute.*Try again in \d+ (s|min)\./);
    expect(error.details.limit).toBe("requests per minute");
    expect(error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.details.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(error.toResponse().headers.get("retry-after")).toBe(
      String(error.details.retryAfterSeconds),
    );
    // Another user has a budget of their own.
    await (await limits.admit(as(uniqueId("u")))).release();
  });

  it("counts tokens per UTC day, reasoning included, and resets at midnight UTC", async () => {
    const limits = make({ ...generous, tokensPerDay: 1000 });
    const user = uniqueId("u");
    const morning = Date.UTC(2026, 10, 25, 9, 0, 0);
    await (await limits.admit(as(user), morning)).release();
    await limits.spend(as(user), { tokens: 600 }, morning);
    await (await limits.admit(as(user), morning)).release();
    await limits.spend(as(user), { tokens: 400 }, morning);
    expect(await limits.tokensUsedToday(user, morning)).toBe(1000);

    const error = await rejection(limits.admit(as(user), morning));
    expect(error.code).toBe("rate_limited:tokens");
    expect(error.message).toContain("1,000 tokens");
    expect(error.message).toContain("resets at 00:00 UTC, in 15 h");
    expect(error.details.retryAfterSeconds).toBe(15 * 3600);

    const nextDay = Date.UTC(2026, 10, 26, 0, 0, 1);
    expect(await limits.tokensUsedToday(user, nextDay)).toBe(0);
    await (await limits.admit(as(user), nextDay)).release();
  });

  it("caps answers generating at once per user, and frees the slot on release", async () => {
    const limits = make({ ...generous, streamsPerUser: 2 });
    const user = uniqueId("u");
    const first = await limits.admit(as(user));
    const second = await limits.admit(as(user));
    const error = await rejection(limits.admit(as(user)));
    expect(error.code).toBe("rate_limited:user_streams");
    expect(error.message).toContain("2 answers generating");
    expect(error.details.retryAfterSeconds).toBeGreaterThan(0);

    await first.release();
    await first.release(); // twice gives back one slot, not two
    const third = await limits.admit(as(user));
    expect(await rejection(limits.admit(as(user)))).toMatchObject({
      code: "rate_limited:user_streams",
    });
    await second.release();
    await third.release();
  });

  it("caps answers at once for the whole server, across users", async () => {
    const limits = make({ ...generous, streamsTotal: 2 });
    const a = await limits.admit(as(uniqueId("u")));
    const b = await limits.admit(as(uniqueId("u")));
    const late = uniqueId("u");
    const error = await rejection(limits.admit(as(late)));
    expect(error.code).toBe("rate_limited:server_streams");
    // Refused by the server cap, the user's own slot is not kept either.
    await a.release();
    const c = await limits.admit(as(late));
    await Promise.all([b.release(), c.release()]);
  });

  it("never frees a slot while its answer runs, however long: no window rolls over", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
    try {
      const limits = make({ ...generous, streamsPerUser: 2 });
      const user = uniqueId("u");
      const held = [await limits.admit(as(user)), await limits.admit(as(user))];
      // Past the 30 minutes the old counters kept a slot for: still two running, still full.
      vi.advanceTimersByTime(31 * 60 * 1000);
      expect(await rejection(limits.admit(as(user)))).toMatchObject({
        code: "rate_limited:user_streams",
      });
      await Promise.all(held.map((slot) => slot.release()));
    } finally {
      vi.useRealTimers();
    }
  });

  it("in anonymous mode counts the address as well: a new owner cookie starts nothing afresh", async () => {
    const limits = make({ ...generous, requestsPerMinute: 3, streamsPerUser: 1 });
    const address = uniqueId("203.0.113");
    const first = await limits.admit({ owner: uniqueId("u"), address });
    // Another cookie, same address: the address already has an answer running.
    const busy = await rejection(limits.admit({ owner: uniqueId("u"), address }));
    expect(busy.code).toBe("rate_limited:user_streams");
    expect(busy.message).toContain("Your network address already has 1 answer generating");
    await first.release();
    await (await limits.admit({ owner: uniqueId("u"), address })).release();
    // Three requests from the address this minute, the refused one included.
    const error = await rejection(limits.admit({ owner: uniqueId("u"), address }));
    expect(error.code).toBe("rate_limited:requests");
    expect(error.message).toMatch(/^Your network address has sent 3 requests/);
    // Another address is another budget.
    await (await limits.admit({ owner: uniqueId("u"), address: uniqueId("198.51.100") })).release();
  });

  it("counts tokens per address as well as per owner", async () => {
    const limits = make({ ...generous, tokensPerDay: 1000 });
    const address = uniqueId("203.0.113");
    await limits.spend({ owner: uniqueId("u"), address }, { tokens: 1000 });
    const error = await rejection(limits.admit({ owner: uniqueId("u"), address }));
    expect(error.code).toBe("rate_limited:tokens");
    expect(error.message).toMatch(/^Your network address has used today's budget of 1,000 tokens/);
  });

  it("stops everyone once the deployment's token budget is spent, and resets at midnight UTC", async () => {
    const limits = make({ ...generous, budgetTokensPerDay: 5000 });
    const evening = Date.UTC(2026, 10, 25, 20, 0, 0);
    await limits.spend(as(uniqueId("u")), { tokens: 3000 }, evening);
    await (await limits.admit(as(uniqueId("u")), evening)).release();
    await limits.spend(as(uniqueId("u")), { tokens: 2000 }, evening);
    expect(await limits.deploymentUsage(evening)).toMatchObject({ tokens: 5000 });
    const error = await rejection(limits.admit(as(uniqueId("u")), evening));
    expect(error.code).toBe("rate_limited:budget");
    expect(error.status).toBe(429);
    expect(error.message).toBe(
      "This server has spent its budget of 5,000 tokens for today, for everyone. Nothing was sent to the model. It resets at 00:00 UTC, in 4 h.",
    );
    expect(error.details.retryAfterSeconds).toBe(4 * 3600);
    const nextDay = Date.UTC(2026, 10, 26, 0, 0, 1);
    await (await limits.admit(as(uniqueId("u")), nextDay)).release();
  });

  it("stops everyone once the deployment's USD budget is spent, counted from reported cost", async () => {
    const limits = make({ ...generous, budgetUsdPerDay: 0.5 });
    const user = as(uniqueId("u"));
    // Turns without a reported cost count nothing against it.
    await limits.spend(user, { tokens: 100, costUsd: undefined });
    await limits.spend(user, { tokens: 100, costUsd: 0.2 });
    await (await limits.admit(user)).release();
    await limits.spend(user, { tokens: 100, costUsd: 0.300001 });
    expect((await limits.deploymentUsage()).usd).toBeCloseTo(0.500001, 6);
    const error = await rejection(limits.admit(as(uniqueId("u"))));
    expect(error.code).toBe("rate_limited:budget");
    expect(error.message).toContain("its budget of $0.50 for today");
  });

  it("turns a limit off with 0", async () => {
    const limits = make({
      requestsPerMinute: 0,
      tokensPerDay: 0,
      streamsPerUser: 0,
      streamsTotal: 0,
      budgetTokensPerDay: 0,
      budgetUsdPerDay: 0,
    });
    const user = uniqueId("u");
    await limits.spend(as(user), { tokens: 10_000_000 });
    const slots = await Promise.all(Array.from({ length: 50 }, () => limits.admit(as(user))));
    expect(slots).toHaveLength(50);
  });
}

describe("Limits in process", () => {
  limitSuite((config) => new Limits(config));
});

describe.skipIf(!testRedisUrl)(
  testRedisUrl ? "Limits in Redis" : "Limits in Redis (skipped: TEST_REDIS_URL is not set)",
  () => {
    const prefix = uniqueId("tp:test-limit");
    const connect = suiteRedis(prefix);

    // A prefix per limiter: the server-wide counter has one key, which tests must not share.
    limitSuite(
      (config) =>
        new Limits(config, { kind: "redis", client: connect(), prefix: uniqueId(prefix) }),
    );

    it("counts across instances: two Limits on one Redis share every budget", async () => {
      const config = { ...generous, requestsPerMinute: 2, streamsPerUser: 1 };
      const one = new Limits(config, { kind: "redis", client: connect(), prefix });
      const two = new Limits(config, { kind: "redis", client: connect(), prefix });
      const user = uniqueId("u");
      const slot = await one.admit(as(user));
      expect(await rejection(two.admit(as(user)))).toMatchObject({
        code: "rate_limited:user_streams",
      });
      await slot.release();
      expect(await rejection(two.admit(as(user)))).toMatchObject({ code: "rate_limited:requests" });
      await one.spend(as(user), { tokens: 123 });
      expect(await two.tokensUsedToday(user)).toBe(123);
    });

    it("counts an owner's follows across instances", async () => {
      const one = new Limits(generous, { kind: "redis", client: connect(), prefix });
      const two = new Limits(generous, { kind: "redis", client: connect(), prefix });
      const owner = uniqueId("u");
      const held = [await one.followSlot(owner, 2), await two.followSlot(owner, 2)];
      expect(held.every(Boolean)).toBe(true);
      expect(await one.followSlot(owner, 2)).toBeUndefined();
      expect(await two.followSlot(uniqueId("u"), 2)).toBeDefined();
      await held[0]!.release();
      expect(await two.followSlot(owner, 2)).toBeDefined();
    });
  },
);
