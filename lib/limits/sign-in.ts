import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { ThinkpaneError } from "@/lib/errors";
import { formatWait, type LimiterStore, makeLimiter } from "./limits";

/** Wrong codes a client may try per window before it must wait the window out. */
export const SIGN_IN_MAX_FAILURES = 10;
const WINDOW_S = 15 * 60;
/** The first wrong code waits this long; each further one twice as long, up to the cap. */
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 4_000;

/**
 * Slows down guessing of access codes: every wrong code answers after a delay that doubles
 * with each failure from the same client, and after SIGN_IN_MAX_FAILURES in the window the
 * client gets 429 (without its code being checked) until the window ends. Counted in Redis
 * when configured, so that spreading guesses over instances does not help.
 */
export class SignInThrottle {
  private readonly failures: RateLimiterAbstract;

  constructor(
    store: LimiterStore,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.failures = makeLimiter(store, {
      keyPrefix: "sign-in-failures",
      points: SIGN_IN_MAX_FAILURES,
      duration: WINDOW_S,
    });
  }

  /** Throws a 429 when the client has used up its wrong codes. Call before checking a code. */
  async check(client: string): Promise<void> {
    const res = await this.failures.get(client);
    if (res && res.consumedPoints >= SIGN_IN_MAX_FAILURES) throw lockedOut(res);
  }

  /** Records a wrong code and waits the client's delay before it gets its answer. */
  async fail(client: string): Promise<void> {
    let count: number;
    try {
      count = (await this.failures.consume(client)).consumedPoints;
    } catch (error) {
      if (error instanceof RateLimiterRes) throw lockedOut(error);
      throw error;
    }
    await this.sleep(Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (count - 1)));
  }

  /** A right code clears the client's count. */
  async succeed(client: string): Promise<void> {
    await this.failures.delete(client);
  }
}

function lockedOut(res: RateLimiterRes): ThinkpaneError {
  const wait = res.msBeforeNext / 1000;
  return new ThinkpaneError("rate_limited:sign_in", {
    message: `Too many wrong access codes. Try again in ${formatWait(wait)}.`,
    details: { retryAfterSeconds: Math.ceil(wait), limit: "wrong access codes" },
  });
}
