import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import type { Redis } from "ioredis";
import { ThinkpaneError } from "@/lib/errors";
import { formatTokens } from "@/lib/format";
import { type Lease, MemorySemaphore, RedisSemaphore, type Semaphore } from "./semaphore";

/**
 * Budgets: requests per minute and tokens per UTC day (prompt, reasoning and answer) per user
 * (rate-limiter-flexible counters), answers generating at once per user and for the whole
 * deployment (semaphores: a slot is held until its answer ends), and the deployment's own
 * daily budget in tokens and USD. In anonymous mode every per-user limit applies per client
 * address as well. With Redis all of it is shared by every instance; without, it lives in this
 * process.
 */

export type LimitsConfig = {
  /** 0 turns a limit off. */
  requestsPerMinute: number;
  tokensPerDay: number;
  streamsPerUser: number;
  streamsTotal: number;
  /** What the whole deployment may spend per UTC day, whoever spends it; 0 turns it off. */
  budgetTokensPerDay: number;
  budgetUsdPerDay: number;
};

/**
 * Who a request counts against: its owner, and in anonymous mode its client address too (an
 * anonymous owner is a cookie the client can drop; the address it cannot choose).
 */
export type Requester = { owner: string; address?: string };

/** Concurrency limits have no reset time; this is when trying again is worth it. */
const STREAM_RETRY_S = 5;
const DAY_S = 24 * 60 * 60;
/** USD are counted in millionths: the counters hold integers. */
const MICRO = 1_000_000;

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

/** A subject's key in the counters: owners as they are (as before), addresses apart. */
function subjects(who: Requester): { key: string; kind: "owner" | "address" }[] {
  return [
    { key: who.owner, kind: "owner" as const },
    ...(who.address ? [{ key: `addr:${who.address}`, kind: "address" as const }] : []),
  ];
}

export type DeploymentUsage = { day: string; tokens: number; usd: number };

export class Limits {
  private readonly requests?: RateLimiterAbstract;
  private readonly tokens?: RateLimiterAbstract;
  private readonly budgetTokens?: RateLimiterAbstract;
  private readonly budgetUsd?: RateLimiterAbstract;
  private readonly streams: Semaphore;
  private readonly follows: Semaphore;

  constructor(
    readonly config: LimitsConfig,
    store: LimiterStore = { kind: "memory" },
  ) {
    const make = (keyPrefix: string, points: number, duration: number) =>
      points > 0 ? makeLimiter(store, { keyPrefix, points, duration }) : undefined;
    this.requests = make("requests", config.requestsPerMinute, 60);
    // Keyed by subject and UTC day, so budgets reset at midnight UTC; the TTL only cleans up.
    this.tokens = make("tokens", config.tokensPerDay, 2 * DAY_S);
    this.budgetTokens = make("budget-tokens", config.budgetTokensPerDay, 2 * DAY_S);
    this.budgetUsd = make("budget-usd", Math.ceil(config.budgetUsdPerDay * MICRO), 2 * DAY_S);
    const semaphore = (name: string) =>
      store.kind === "redis"
        ? new RedisSemaphore(store.client, `${store.prefix ?? "tp:limit"}:${name}`)
        : new MemorySemaphore();
    this.streams = semaphore("streams");
    this.follows = semaphore("follows");
  }

  /**
   * One of an owner's `cap` follows of running turns (GET /api/chat/:id/stream), counted across
   * every instance on one Redis; undefined when all are held. Held until the follow closes.
   */
  followSlot(ownerId: string, cap: number): Promise<Lease | undefined> {
    return this.follows.acquire(`owner:${ownerId}`, cap);
  }

  /**
   * Admits one chat request for `who` or throws a 429 ThinkpaneError naming the limit and when
   * to try again. The returned slot must be released when the generation ends. Budgets are
   * checked before anything is counted; a refused request holds no stream slot.
   */
  async admit(who: Requester, now = Date.now()): Promise<Slot> {
    await this.checkBudget(now);
    for (const subject of subjects(who)) await this.checkTokens(subject, now);

    if (this.requests) {
      for (const { key, kind } of subjects(who)) {
        try {
          await this.requests.consume(key);
        } catch (error) {
          if (!isLimiterRes(error)) throw error;
          const wait = error.msBeforeNext / 1000;
          const n = this.config.requestsPerMinute;
          throw new ThinkpaneError("rate_limited:requests", {
            message: `${kind === "owner" ? "You have" : "Your network address has"} sent ${n} requests in the last minute, the most this server allows. Try again in ${formatWait(wait)}.`,
            details: { retryAfterSeconds: Math.ceil(wait), limit: "requests per minute" },
          });
        }
      }
    }

    const wanted = [
      ...(this.config.streamsPerUser > 0
        ? subjects(who).map(({ key, kind }) => ({
            key,
            cap: this.config.streamsPerUser,
            refusal: () =>
              new ThinkpaneError("rate_limited:user_streams", {
                message: `${kind === "owner" ? "You already have" : "Your network address already has"} ${answers(this.config.streamsPerUser)} generating, the most this server allows at once. Try again when one finishes.`,
                details: { retryAfterSeconds: STREAM_RETRY_S, limit: "answers at once per user" },
              }),
          }))
        : []),
      ...(this.config.streamsTotal > 0
        ? [
            {
              key: "all",
              cap: this.config.streamsTotal,
              refusal: () =>
                new ThinkpaneError("rate_limited:server_streams", {
                  message: `The server is generating ${answers(this.config.streamsTotal)}, the most it allows at once. Try again in a few seconds.`,
                  details: {
                    retryAfterSeconds: STREAM_RETRY_S,
                    limit: "answers at once on the server",
                  },
                }),
            },
          ]
        : []),
    ];

    const held: Lease[] = [];
    const release = async () => {
      await Promise.all(held.splice(0).map((lease) => lease.release()));
    };
    for (const { key, cap, refusal } of wanted) {
      let lease: Lease | undefined;
      try {
        lease = await this.streams.acquire(key, cap);
      } catch (error) {
        await release();
        throw error;
      }
      if (!lease) {
        // All or nothing: the slots taken so far go back.
        await release();
        throw refusal();
      }
      held.push(lease);
    }
    return { release };
  }

  private async checkBudget(now: number): Promise<void> {
    const { secondsLeft } = utcDay(now);
    const usage = await this.deploymentUsage(now);
    const spent =
      (this.budgetTokens && usage.tokens >= this.config.budgetTokensPerDay
        ? `its budget of ${formatTokens(this.config.budgetTokensPerDay)} tokens`
        : undefined) ??
      (this.budgetUsd && usage.usd >= this.config.budgetUsdPerDay
        ? `its budget of $${this.config.budgetUsdPerDay.toFixed(2)}`
        : undefined);
    if (!spent) return;
    throw new ThinkpaneError("rate_limited:budget", {
      message: `This server has spent ${spent} for today, for everyone. Nothing was sent to the model. It resets at 00:00 UTC, in ${formatWait(secondsLeft)}.`,
      details: { retryAfterSeconds: secondsLeft, limit: "deployment budget per day" },
    });
  }

  private async checkTokens(
    { key, kind }: { key: string; kind: "owner" | "address" },
    now: number,
  ): Promise<void> {
    if (!this.tokens) return;
    const { day, secondsLeft } = utcDay(now);
    const used = (await this.tokens.get(`${key}:${day}`))?.consumedPoints ?? 0;
    if (used < this.config.tokensPerDay) return;
    throw new ThinkpaneError("rate_limited:tokens", {
      message: `${kind === "owner" ? "You have" : "Your network address has"} used today's budget of ${formatTokens(this.config.tokensPerDay)} tokens (reasoning included). It resets at 00:00 UTC, in ${formatWait(secondsLeft)}.`,
      details: { retryAfterSeconds: secondsLeft, limit: "tokens per day" },
    });
  }

  /**
   * Counts a finished turn against its requester's day and the deployment's. Never rejects on
   * a budget: the turn is done.
   */
  async spend(
    who: Requester,
    { tokens, costUsd }: { tokens: number; costUsd?: number | null },
    now = Date.now(),
  ): Promise<void> {
    const { day } = utcDay(now);
    const rounded = Math.round(tokens);
    const micro = Math.round((costUsd ?? 0) * MICRO);
    await Promise.all([
      ...(this.tokens && rounded > 0
        ? subjects(who).map(({ key }) => this.tokens!.penalty(`${key}:${day}`, rounded))
        : []),
      this.budgetTokens && rounded > 0 ? this.budgetTokens.penalty(day, rounded) : undefined,
      this.budgetUsd && micro > 0 ? this.budgetUsd.penalty(day, micro) : undefined,
    ]);
  }

  /** Tokens the owner has spent today, as the limiter counts them. */
  async tokensUsedToday(owner: string, now = Date.now()): Promise<number> {
    if (!this.tokens) return 0;
    return (await this.tokens.get(`${owner}:${utcDay(now).day}`))?.consumedPoints ?? 0;
  }

  /** What the deployment has spent today, as its budgets count it. */
  async deploymentUsage(now = Date.now()): Promise<DeploymentUsage> {
    const { day } = utcDay(now);
    const [tokens, micro] = await Promise.all([
      this.budgetTokens?.get(day),
      this.budgetUsd?.get(day),
    ]);
    return { day, tokens: tokens?.consumedPoints ?? 0, usd: (micro?.consumedPoints ?? 0) / MICRO };
  }
}
