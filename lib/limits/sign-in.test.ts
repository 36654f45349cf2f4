import { describe, expect, it } from "vitest";
import { ThinkpaneError } from "@/lib/errors";
import { SIGN_IN_MAX_FAILURES, SignInThrottle } from "./sign-in";

describe("SignInThrottle", () => {
  it("waits longer after each wrong code, then locks the client out with 429", async () => {
    const waits: number[] = [];
    const throttle = new SignInThrottle({ kind: "memory" }, async (ms) => {
      waits.push(ms);
    });
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      await throttle.check("10.0.0.1");
      await throttle.fail("10.0.0.1");
    }
    expect(waits.slice(0, 5)).toEqual([250, 500, 1000, 2000, 4000]);
    expect(Math.max(...waits)).toBe(4000);

    const locked = await throttle.check("10.0.0.1").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ThinkpaneError.is(locked) && locked.code).toBe("rate_limited:sign_in");
    expect(ThinkpaneError.is(locked) && locked.details.retryAfterSeconds).toBeGreaterThan(800);
    // Another client is not affected.
    await throttle.check("10.0.0.2");
  });

  it("forgets a client's failures when it signs in", async () => {
    const waits: number[] = [];
    const throttle = new SignInThrottle({ kind: "memory" }, async (ms) => {
      waits.push(ms);
    });
    await throttle.fail("c");
    await throttle.fail("c");
    await throttle.succeed("c");
    await throttle.fail("c");
    expect(waits).toEqual([250, 500, 250]);
  });
});
