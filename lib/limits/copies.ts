import "server-only";
import { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";
import { formatWait, makeLimiter } from "./limits";

/**
 * Imports, forks and share links each write a whole conversation, so they get a budget of their
 * own (RATE_LIMIT_COPIES_PER_MINUTE): per owner and per client address, so that neither a new
 * owner cookie nor a new address resets it. In Redis when REDIS_URL is set, else in process.
 */

export type CopyAction = "import" | "fork" | "share";

const KEY = Symbol.for("thinkpane.copyLimits");
type Holder = { [KEY]?: { limiter?: RateLimiterAbstract; redis?: Redis; points: number } };

function limiter(): { limiter?: RateLimiterAbstract; points: number } {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const e = env();
    const points = e.RATE_LIMIT_COPIES_PER_MINUTE;
    const redis =
      points > 0 && e.REDIS_URL ? new Redis(e.REDIS_URL, { maxRetriesPerRequest: 1 }) : undefined;
    holder[KEY] = {
      points,
      redis,
      limiter:
        points > 0
          ? makeLimiter(redis ? { kind: "redis", client: redis } : { kind: "memory" }, {
              keyPrefix: "copies",
              points,
              duration: 60,
            })
          : undefined,
    };
  }
  return holder[KEY];
}

const WHAT: Record<CopyAction, string> = {
  import: "imported",
  fork: "copied",
  share: "shared",
};

/** Counts one import, fork or share for the owner and the address; a 429 with Retry-After past the budget. */
export async function admitCopy({
  action,
  ownerId,
  address,
}: {
  action: CopyAction;
  ownerId: string;
  address: string;
}): Promise<void> {
  const { limiter: rate, points } = limiter();
  if (!rate) return;
  for (const key of [`owner:${ownerId}`, `address:${address}`]) {
    try {
      await rate.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const wait = error.msBeforeNext / 1000;
      throw new ThinkpaneError("rate_limited:copies", {
        message: `You have imported, copied or shared ${points} conversations in the last minute, the most this server allows. Nothing was ${WHAT[action]}; try again in ${formatWait(wait)}.`,
        details: {
          retryAfterSeconds: Math.ceil(wait),
          limit: "imports, copies and share links per minute",
        },
      });
    }
  }
}

/** For tests that change the configuration: the next call builds the limiter afresh. */
export function resetCopyLimitsForTests(): void {
  const holder = globalThis as Holder;
  holder[KEY]?.redis?.disconnect();
  holder[KEY] = undefined;
}
