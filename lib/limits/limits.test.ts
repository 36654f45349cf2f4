import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { ThinkpaneError } from "@/lib/errors";
import { uniqueId } from "@/lib/testing/db";
import { formatWait, Limits, type LimitsConfig, utcDay } from "./limits";

// The test runner's setting, not the app's configuration: lib/env.ts does not know it.
// eslint-disable-next-line no-restricted-syntax
const redisUrl = process.env.TEST_REDIS_URL?.trim() || undefined;

const generous: LimitsConfig = {
  requestsPerMinute: 100,
  tokensPerDay: 1_000_000,
  streamsPerUser: 100,
  streamsTotal: 100,
};

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
    for (let i = 0; i < 3; i++) await (await limits.admit(user)).release();
    const error = await rejection(limits.admit(user));
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
    await (await limits.admit(uniqueId("u"))).release();
  });

  it("counts tokens per UTC day, reasoning included, and resets at midnight UTC", async () => {
    const limits = make({ ...generous, tokensPerDay: 1000 });
    const user = uniqueId("u");
    const morning = Date.UTC(2026, 10, 25, 9, 0, 0);
    await (await limits.admit(user, morning)).release();
    await limits.spend(user, 600, morning);
    await (await limits.admit(user, morning)).release();
    await limits.spend(user, 400, morning);
    expect(await limits.tokensUsedToday(user, morning)).toBe(1000);

    const error = await rejection(limits.admit(user, morning));
    expect(error.code).toBe("rate_limited:tokens");
    expect(error.message).toContain("1,000 tokens");
    expect(error.message).toContain("resets at 00:00 UTC, in 15 h");
    expect(error.details.retryAfterSeconds).toBe(15 * 3600);

    const nextDay = Date.UTC(2026, 10, 26, 0, 0, 1);
    expect(await limits.tokensUsedToday(user, nextDay)).toBe(0);
    await (await limits.admit(user, nextDay)).release();
  });

  it("caps answers generating at once per user, and frees the slot on release", async () => {
    const limits = make({ ...generous, streamsPerUser: 2 });
    const user = uniqueId("u");
    const first = await limits.admit(user);
    const second = await limits.admit(user);
    const error = await rejection(limits.admit(user));
    expect(error.code).toBe("rate_limited:user_streams");
    expect(error.message).toContain("2 answers generating");
    expect(error.details.retryAfterSeconds).toBeGreaterThan(0);

    await first.release();
    await first.release(); // twice gives back one slot, not two
    const third = await limits.admit(user);
    expect(await rejection(limits.admit(user))).toMatchObject({
      code: "rate_limited:user_streams",
    });
    await second.release();
    await third.release();
  });

  it("caps answers at once for the whole server, across users", async () => {
    const limits = make({ ...generous, streamsTotal: 2 });
    const a = await limits.admit(uniqueId("u"));
    const b = await limits.admit(uniqueId("u"));
    const late = uniqueId("u");
    const error = await rejection(limits.admit(late));
    expect(error.code).toBe("rate_limited:server_streams");
    // Refused by the server cap, the user's own slot is not kept either.
    await a.release();
    const c = await limits.admit(late);
    await Promise.all([b.release(), c.release()]);
  });

  it("turns a limit off with 0", async () => {
    const limits = make({
      requestsPerMinute: 0,
      tokensPerDay: 0,
      streamsPerUser: 0,
      streamsTotal: 0,
    });
    const user = uniqueId("u");
    await limits.spend(user, 10_000_000);
    const slots = await Promise.all(Array.from({ length: 50 }, () => limits.admit(user)));
    expect(slots).toHaveLength(50);
  });
}

describe("Limits in process", () => {
  limitSuite((config) => new Limits(config));
});

describe.skipIf(!redisUrl)(
  redisUrl ? "Limits in Redis" : "Limits in Redis (skipped: TEST_REDIS_URL is not set)",
  () => {
    const connections: Redis[] = [];
    const prefix = uniqueId("tp:test-limit");
    const connect = () => {
      const connection = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
      connections.push(connection);
      return connection;
    };

    afterAll(async () => {
      const admin = connections[0] ?? connect();
      const keys = await admin.keys(`${prefix}:*`);
      if (keys.length > 0) await admin.del(...keys);
      await Promise.all(connections.map((c) => c.quit()));
    });

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
      const slot = await one.admit(user);
      expect(await rejection(two.admit(user))).toMatchObject({ code: "rate_limited:user_streams" });
      await slot.release();
      expect(await rejection(two.admit(user))).toMatchObject({ code: "rate_limited:requests" });
      await one.spend(user, 123);
      expect(await two.tokensUsedToday(user)).toBe(123);
    });
  },
);
