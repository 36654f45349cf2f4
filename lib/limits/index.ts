import "server-only";
import { Redis } from "ioredis";
import { env } from "@/lib/env";
import { Limits, type LimiterStore, type LimitsConfig } from "./limits";
import { SignInThrottle } from "./sign-in";

export { Limits, type LimitsConfig, type Requester, type Slot } from "./limits";
export { SignInThrottle } from "./sign-in";

// On globalThis, like the generation bus: every route bundle must count on the same limiters.
const KEY = Symbol.for("thinkpane.limits");
type Holder = { [KEY]?: { store: LimiterStore; limits?: Limits; signIn?: SignInThrottle } };

function shared() {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const url = env().REDIS_URL;
    holder[KEY] = {
      store: url
        ? {
            kind: "redis",
            // Commands wait for the connection (the first ones after start must reach Redis, or
            // each instance would count alone), but while Redis is away they fail after one
            // reconnect attempt and the in-process insurance limiter counts instead.
            client: new Redis(url, { maxRetriesPerRequest: 1 }),
          }
        : { kind: "memory" },
    };
  }
  return holder[KEY];
}

/**
 * The deployment's token budget when BUDGET_TOKENS_PER_DAY is unset, without sign-in: about
 * ten people's heavy day at effort high, a few dollars at gpt-oss-120b's prices. A team does
 * not reach it by accident; someone draining the key stops there.
 */
export const ANONYMOUS_BUDGET_TOKENS_PER_DAY = 20_000_000;

/** The configured budgets (0 = off). */
export function limitsConfig(): LimitsConfig {
  const e = env();
  const anonymous = e.ACCESS_CODES.length === 0;
  return {
    requestsPerMinute: e.RATE_LIMIT_REQUESTS_PER_MINUTE,
    tokensPerDay: e.RATE_LIMIT_TOKENS_PER_DAY,
    streamsPerUser: e.MAX_CONCURRENT_STREAMS_PER_USER,
    streamsTotal: e.MAX_CONCURRENT_STREAMS,
    budgetTokensPerDay:
      e.BUDGET_TOKENS_PER_DAY ?? (anonymous ? ANONYMOUS_BUDGET_TOKENS_PER_DAY : 0),
    budgetUsdPerDay: e.BUDGET_USD_PER_DAY,
  };
}

/** The chat budgets: in Redis when REDIS_URL is set (shared by all instances), else in process. */
export function limits(): Limits {
  const state = shared();
  state.limits ??= new Limits(limitsConfig(), state.store);
  return state.limits;
}

export function signInThrottle(): SignInThrottle {
  const state = shared();
  state.signIn ??= new SignInThrottle(state.store);
  return state.signIn;
}

/** For tests that change the limits' configuration: the next call builds them afresh. */
export function resetLimitsForTests(): void {
  const holder = globalThis as Holder;
  const store = holder[KEY]?.store;
  if (store?.kind === "redis") store.client.disconnect();
  holder[KEY] = undefined;
}
