import { describe, expect, it } from "vitest";
import { ThinkpaneError } from "@/lib/errors";
import { SIGN_IN_ALARM_FAILURES, SIGN_IN_MAX_FAILURES, SignInThrottle } from "./sign-in";

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe("SignInThrottle", () => {
  it("waits longer after each wrong code, then locks the client out with 429", async () => {
    const waits: number[] = [];
    const throttle = new SignInThrottle({ kind: "memory" }, async (ms) => {
      waits.push(ms);
    });
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++)
      await (await throttle.attempt("10.0.0.1")).failed();
    expect(waits.slice(0, 5)).toEqual([250, 500, 1000, 2000, 4000]);
    expect(Math.max(...waits)).toBe(4000);

    const locked = await rejection(throttle.attempt("10.0.0.1"));
    expect(ThinkpaneError.is(locked) && locked.code).toBe("rate_limited:sign_in");
    expect(ThinkpaneError.is(locked) && locked.details.retryAfterSeconds).toBeGreaterThan(800);
    // Another client is not affected.
    await (await throttle.attempt("10.0.0.2")).succeeded();
  });

  it("counts concurrent guesses before any is compared: a burst gets no more than the limit", async () => {
    const throttle = new SignInThrottle({ kind: "memory" }, async () => undefined);
    // Fifty guesses at once, none answered yet.
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => throttle.attempt("10.0.0.9")),
    );
    const admitted = results.filter((r) => r.status === "fulfilled");
    expect(admitted).toHaveLength(SIGN_IN_MAX_FAILURES);
    for (const r of results)
      if (r.status === "rejected")
        expect(ThinkpaneError.is(r.reason) && r.reason.code).toBe("rate_limited:sign_in");
  });

  it("forgets a client's failures when it signs in", async () => {
    const waits: number[] = [];
    const throttle = new SignInThrottle({ kind: "memory" }, async (ms) => {
      waits.push(ms);
    });
    await (await throttle.attempt("c")).failed();
    await (await throttle.attempt("c")).failed();
    await (await throttle.attempt("c")).succeeded();
    await (await throttle.attempt("c")).failed();
    expect(waits).toEqual([250, 500, 250]);
  });

  it("raises an alarm when many clients fail together, without locking anyone out", async () => {
    const alarms: number[] = [];
    const throttle = new SignInThrottle(
      { kind: "memory" },
      async () => undefined,
      (failures) => alarms.push(failures),
    );
    for (let i = 0; i < SIGN_IN_ALARM_FAILURES * 2; i++)
      await (await throttle.attempt(`10.1.${Math.floor(i / 5)}.${i % 5}`)).failed();
    expect(alarms).toEqual([SIGN_IN_ALARM_FAILURES, SIGN_IN_ALARM_FAILURES * 2]);
    // A client with no failures of its own still signs in.
    await (await throttle.attempt("10.2.0.1")).succeeded();
  });
});
