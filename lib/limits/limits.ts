import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import type { Redis } from "ioredis";
import { ThinkpaneError } from "@/lib/errors";
import { formatTokens } from "@/lib/format";

/**
 * Per-user budgets, on rate-limiter-flexible: requests per minute, tokens per UTC day (prompt,
 * reasoning and answer), answers generating at once per user and for the whole deployment.
 * With Redis the counters are shared by every instance; without, they live in this process.
 */

export type LimitsConfig = {
  /** 0 turns a limit off. */
  requestsPerMinute: number;
  tokensPerDay: number;
  streamsPerUser: number;
  streamsTotal: number;
};

/**
 * How long a stream slot is held at most. A slot is given back when its generation ends; this
 * only bounds what an instance that died mid-generation leaves behind.
 */
const STREAM_SLOT_TTL_S = 30 * 60;
/** Concurrency limits have no reset time; this is when trying again is worth it. */
const STREAM_RETRY_S = 5;
const DAY_S = 24 * 60 * 60;

export type Slot = {
  /** Gives the stream slots back. Safe to call more than once. */
  release(): Promise<void>;
};

export type LimiterStore = { kind: "memory" } | { kind: "redis"; client: Redis; prefix?: string };

/** A rate-limiter-flexible limiter on the store: Redis with an in-process fallback, or memory. */
export function makeLimiter(
  store: LimiterStore,
  opts: { keyPrefix: string; points: number; duration: number; blockDuration?: number },
): RateLimiterAbstract {
  const memory = new RateLimiterMemory(opts);
  if (store.kind === "memory") return memory;
  return new RateLimiterRedis({
    ...opts,
    storeClient: store.client,
    keyPrefix: `${store.prefix ?? "tp:limit"}:${opts.keyPrefix}`,
    // Redis down: count in this process rather than refuse everyone or let everyone through.
    insuranceLimiter: memory,
  });
}

function isLimiterRes(value: unknown): value is RateLimiterRes {
  return value instanceof RateLimiterRes;
}

const answers = (n: number) => `${n} ${n === 1 ? "answer" : "answers"}`;

/** "42 s", "5 min", "3 h 12 min". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** The UTC day of `now` as YYYY-MM-DD, and the seconds until the next one starts. */
export function utcDay(now: number): { day: string; secondsLeft: number } {
  const date = new Date(now);
  const next = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
  return { day: date.toISOString().slice(0, 10), secondsLeft: Math.ceil((next - now) / 1000) };
}

export class Limits {
  private readonly requests?: RateLimiterAbstract;
  private readonly tokens?: RateLimiterAbstract;
  private readonly userStreams?: RateLimiterAbstract;
  private readonly allStreams?: RateLimiterAbstract;

  constructor(
    readonly config: LimitsConfig,
    store: LimiterStore = { kind: "memory" },
  ) {
    const make = (keyPrefix: string, points: number, duration: number) =>
      points > 0 ? makeLimiter(store, { keyPrefix, points, duration }) : undefined;
    this.requests = make("requests", config.requestsPerMinute, 60);
    // Keyed by user and UTC day, so the budget resets at midnight UTC; the TTL only cleans up.
    this.tokens = make("tokens", config.tokensPerDay, 2 * DAY_S);
    this.userStreams = make("streams", config.streamsPerUser, STREAM_SLOT_TTL_S);
    this.allStreams = make("streams-all", config.streamsTotal, STREAM_SLOT_TTL_S);
  }

  /**
   * Admits one chat request for `user` or throws a 429 ThinkpaneError naming the limit and when
   * to try again. The returned slot must be released when the generation ends.
   */
  async admit(user: string, now = Date.now()): Promise<Slot> {
    await this.checkTokens(user, now);

    if (this.requests) {
      try {
        await this.requests.consume(user);
      } catch (error) {
        if (!isLimiterRes(error)) throw error;
        const wait = error.msBeforeNext / 1000;
        throw new ThinkpaneError("rate_limited:requests", {
          message: `You have sent ${this.config.requestsPerMinute} requests in the last minute, the most this server allows. Try again in ${formatWait(wait)}.`,
          details: { retryAfterSeconds: Math.ceil(wait), limit: "requests per minute" },
        });
      }
    }

    const slots = [
      this.userStreams && {
        limiter: this.userStreams,
        key: user,
        refusal: () =>
          new ThinkpaneError("rate_limited:user_streams", {
            message: `You already have ${answers(this.config.streamsPerUser)} generating, the most this server allows at once. Try again when one finishes.`,
            details: { retryAfterSeconds: STREAM_RETRY_S, limit: "answers at once per user" },
          }),
      },
      this.allStreams && {
        limiter: this.allStreams,
        key: "all",
        refusal: () =>
          new ThinkpaneError("rate_limited:server_streams", {
            message: `The server is generating ${answers(this.config.streamsTotal)}, the most it allows at once. Try again in a few seconds.`,
            details: { retryAfterSeconds: STREAM_RETRY_S, limit: "answers at once on the server" },
          }),
      },
    ].filter((slot) => slot !== undefined);

    const held: { limiter: RateLimiterAbstract; key: string }[] = [];
    const release = async () => {
      const taken = held.splice(0);
      await Promise.all(taken.map(({ limiter, key }) => giveBack(limiter, key)));
    };
    for (const { limiter, key, refusal } of slots) {
      try {
        await limiter.consume(key);
      } catch (error) {
        // A refused consume still counted: take it back, it holds no slot; and give back the
        // slots taken so far.
        if (isLimiterRes(error)) await giveBack(limiter, key);
        await release();
        throw isLimiterRes(error) ? refusal() : error;
      }
      held.push({ limiter, key });
    }
    return { release };
  }

  private async checkTokens(user: string, now: number): Promise<void> {
    if (!this.tokens) return;
    const { day, secondsLeft } = utcDay(now);
    const used = (await this.tokens.get(`${user}:${day}`))?.consumedPoints ?? 0;
    if (used < this.config.tokensPerDay) return;
    throw new ThinkpaneError("rate_limited:tokens", {
      message: `You have used today's budget of ${formatTokens(this.config.tokensPerDay)} tokens (reasoning included). It resets at 00:00 UTC, in ${formatWait(secondsLeft)}.`,
      details: { retryAfterSeconds: secondsLeft, limit: "tokens per day" },
    });
  }

  /** Counts a finished turn's tokens against the user's day. Never rejects: the turn is done. */
  async spend(user: string, tokens: number, now = Date.now()): Promise<void> {
    if (!this.tokens || tokens <= 0) return;
    await this.tokens.penalty(`${user}:${utcDay(now).day}`, Math.round(tokens));
  }

  /** Tokens the user has spent today, as the limiter counts them. */
  async tokensUsedToday(user: string, now = Date.now()): Promise<number> {
    if (!this.tokens) return 0;
    return (await this.tokens.get(`${user}:${utcDay(now).day}`))?.consumedPoints ?? 0;
  }
}

async function giveBack(limiter: RateLimiterAbstract, key: string): Promise<void> {
  const res = await limiter.reward(key, 1);
  // The slot outlived its key (a generation longer than the TTL): never count below zero.
  if (res.consumedPoints < 0) await limiter.set(key, 0, STREAM_SLOT_TTL_S);
}
