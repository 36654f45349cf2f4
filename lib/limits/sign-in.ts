import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { ThinkpaneError } from "@/lib/errors";
import { log } from "@/lib/log";
import { formatWait, type LimiterStore, makeLimiter } from "./limits";

/** Codes a client may try per window, wrong ones, before it must wait the window out. */
export const SIGN_IN_MAX_FAILURES = 10;
const WINDOW_S = 15 * 60;
/** The first wrong code waits this long; each further one twice as long, up to the cap. */
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 4_000;
/**
 * Wrong codes from everyone together in a window past which an alarm is logged: many clients
 * guessing at once, each under its own limit. Nobody is locked out by it (that would let a
 * guesser lock out the team); it tells the operator.
 */
export const SIGN_IN_ALARM_FAILURES = 100;

export type SignInAttempt = {
  /** The code was wrong: waits the client's delay before it gets its answer. */
  failed(): Promise<void>;
  /** The code was right: the client's count is cleared. */
  succeeded(): Promise<void>;
};

/**
 * Slows down guessing of access codes. Every attempt counts against its client BEFORE the
 * code is compared, so a burst of concurrent guesses is counted in full (checking first and
 * counting after would let them all through the check); a right code gives the count back.
 * Every wrong code answers after a delay that doubles with each failure from the same client,
 * and after SIGN_IN_MAX_FAILURES in the window the client gets 429 without its code being
 * compared. Counted in Redis when configured, so spreading guesses over instances does not
 * help.
 */
export class SignInThrottle {
  private readonly attempts: RateLimiterAbstract;
  private readonly everyone: RateLimiterAbstract;

  constructor(
    store: LimiterStore,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
    private readonly alarm: (failures: number) => void = (failures) =>
      log.warn("auth.sign_in_failures_high", { failures, windowMinutes: WINDOW_S / 60 }),
  ) {
    this.attempts = makeLimiter(store, {
      keyPrefix: "sign-in-failures",
      points: SIGN_IN_MAX_FAILURES,
      duration: WINDOW_S,
    });
    this.everyone = makeLimiter(store, {
      keyPrefix: "sign-in-failures-all",
      points: Number.MAX_SAFE_INTEGER,
      duration: WINDOW_S,
    });
  }

  /** Counts an attempt by `client`, or throws a 429 when it has used up its tries. */
  async attempt(client: string): Promise<SignInAttempt> {
    let count: number;
    try {
      count = (await this.attempts.consume(client)).consumedPoints;
    } catch (error) {
      if (error instanceof RateLimiterRes) throw lockedOut(error);
      throw error;
    }
    return {
      failed: async () => {
        const all = (await this.everyone.penalty("all", 1)).consumedPoints;
        // Once as the window's count crosses the mark, then at every further hundred.
        if (all >= SIGN_IN_ALARM_FAILURES && all % SIGN_IN_ALARM_FAILURES === 0) this.alarm(all);
        await this.sleep(Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (count - 1)));
      },
      succeeded: async () => {
        await this.attempts.delete(client);
      },
    };
  }
}

function lockedOut(res: RateLimiterRes): ThinkpaneError {
  const wait = res.msBeforeNext / 1000;
  return new ThinkpaneError("rate_limited:sign_in", {
    message: `Too many wrong access codes. Try again in ${formatWait(wait)}.`,
    details: { retryAfterSeconds: Math.ceil(wait), limit: "wrong access codes" },
  });
}
