import "server-only";
import { RateLimiterRes } from "rate-limiter-flexible";
import { ThinkpaneError } from "@/lib/errors";
import { copyLimiter } from "./index";
import { formatWait } from "./limits";

/**
 * Imports, forks and share links each write a whole conversation, so they get a budget of their
 * own (RATE_LIMIT_COPIES_PER_MINUTE): per owner and per client address, so that neither a new
 * owner cookie nor a new address resets it. On the chat budgets' store (Redis when REDIS_URL is set).
 */

export type CopyAction = "import" | "fork" | "share";

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
  const { limiter: rate, points } = copyLimiter();
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
