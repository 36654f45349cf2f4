import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { describeError, log } from "@/lib/log";

/**
 * Counting semaphores for "at most N at once" limits (answers generating per user, per client
 * address and per deployment). A slot is held from acquire until release, however long that
 * is: nothing frees it early. In Redis a slot is a lease in a sorted set, scored by its expiry
 * and renewed by a heartbeat, so an instance that dies mid-generation stops holding its slots
 * a lease later instead of forever; the count is checked and the lease added in one script, so
 * no interleaving of instances admits more than the cap.
 */

export type Lease = {
  /** Gives the slot back. Safe to call more than once. */
  release(): Promise<void>;
};

export interface Semaphore {
  /** Takes one of the `cap` slots of `key`, or answers undefined when all are held. */
  acquire(key: string, cap: number): Promise<Lease | undefined>;
  /** Slots of `key` held now (leases not yet expired). */
  held(key: string): Promise<number>;
}

export class MemorySemaphore implements Semaphore {
  private readonly counts = new Map<string, number>();

  async acquire(key: string, cap: number): Promise<Lease | undefined> {
    const count = this.counts.get(key) ?? 0;
    if (count >= cap) return undefined;
    this.counts.set(key, count + 1);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        const left = (this.counts.get(key) ?? 1) - 1;
        if (left <= 0) this.counts.delete(key);
        else this.counts.set(key, left);
      },
    };
  }

  async held(key: string): Promise<number> {
    return this.counts.get(key) ?? 0;
  }
}

/** Leases last this long without a heartbeat: what a crashed instance leaves behind. */
export const LEASE_MS = 30_000;
/** Heartbeats renew every lease this often, well inside its lifetime. */
export const HEARTBEAT_MS = 10_000;

// KEYS[1] the set; ARGV: lease id, cap, lease ms. Redis's own clock, so instances whose clocks
// disagree still agree on which leases have expired.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
`;

// Renews the leases given that are still held (one that expired is not brought back: its slot
// may have gone to someone else). KEYS[1] the set; ARGV: lease ms, then lease ids.
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local renewed = 0
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
    renewed = renewed + 1
  end
end
if redis.call('ZCARD', KEYS[1]) > 0 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1])) end
return renewed
`;

const HELD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
`;

/**
 * Shared by every instance on one Redis. While Redis cannot be reached, slots are counted in
 * this process instead (the same choice as the rate limiters: neither refuse everyone nor let
 * everyone through).
 */
export class RedisSemaphore implements Semaphore {
  /** Leases this instance holds, per set, renewed together by one timer. */
  private readonly leases = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly fallback = new MemorySemaphore();

  constructor(
    private readonly client: Redis,
    private readonly prefix = "tp:sem",
    private readonly leaseMs = LEASE_MS,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  private setKey(key: string) {
    return `${this.prefix}:${key}`;
  }

  async acquire(key: string, cap: number): Promise<Lease | undefined> {
    const id = randomUUID();
    const set = this.setKey(key);
    let taken: boolean;
    try {
      taken = (await this.client.eval(ACQUIRE, 1, set, id, cap, this.leaseMs)) === 1;
    } catch (error) {
      log.warn("limits.semaphore_unavailable", describeError(error));
      return this.fallback.acquire(key, cap);
    }
    if (!taken) return undefined;
    this.track(set, id);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.untrack(set, id);
        await this.client.zrem(set, id);
      },
    };
  }

  async held(key: string): Promise<number> {
    return Number(await this.client.eval(HELD, 1, this.setKey(key)));
  }

  private track(set: string, id: string) {
    const ids = this.leases.get(set) ?? new Set<string>();
    ids.add(id);
    this.leases.set(set, ids);
    if (!this.timer) {
      this.timer = setInterval(() => void this.renew(), this.heartbeatMs);
      // Leases never keep a process alive on their own.
      this.timer.unref();
    }
  }

  private untrack(set: string, id: string) {
    const ids = this.leases.get(set);
    ids?.delete(id);
    if (ids?.size === 0) this.leases.delete(set);
    if (this.leases.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** One heartbeat: renews every lease this instance holds. */
  async renew(): Promise<void> {
    await Promise.all(
      [...this.leases].map(async ([set, ids]) => {
        try {
          const renewed = Number(await this.client.eval(RENEW, 1, set, this.leaseMs, ...[...ids]));
          // A lease lost (this process stalled past its lifetime): its answer goes on, and the
          // slot may be counted twice for a while; say so rather than hide it.
          if (renewed < ids.size) log.warn("limits.lease_lost", { lost: ids.size - renewed });
        } catch (error) {
          log.warn("limits.lease_renew_failed", describeError(error));
        }
      }),
    );
  }
}
