import { describe, expect, it, vi } from "vitest";
import { uniqueId } from "@/lib/testing/db";
import { suiteRedis, testRedisUrl } from "@/lib/testing/redis";
import { type Lease, MemorySemaphore, RedisSemaphore, type Semaphore } from "./semaphore";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function semaphoreSuite(make: () => Semaphore) {
  it("never admits more than the cap, however many ask at once", async () => {
    const semaphore = make();
    const key = uniqueId("k");
    const results = await Promise.all(Array.from({ length: 25 }, () => semaphore.acquire(key, 3)));
    const leases = results.filter((lease): lease is Lease => lease !== undefined);
    expect(leases).toHaveLength(3);
    expect(await semaphore.held(key)).toBe(3);
    await Promise.all(leases.map((lease) => lease.release()));
    expect(await semaphore.held(key)).toBe(0);
  });

  it("gives a slot back once, however often it is released", async () => {
    const semaphore = make();
    const key = uniqueId("k");
    const first = (await semaphore.acquire(key, 2))!;
    const second = (await semaphore.acquire(key, 2))!;
    await first.release();
    await first.release();
    expect(await semaphore.held(key)).toBe(1);
    const third = await semaphore.acquire(key, 2);
    expect(third).toBeDefined();
    expect(await semaphore.acquire(key, 2)).toBeUndefined();
    await Promise.all([second.release(), third!.release()]);
  });

  it("keeps keys apart", async () => {
    const semaphore = make();
    const a = (await semaphore.acquire(uniqueId("k"), 1))!;
    const b = await semaphore.acquire(uniqueId("k"), 1);
    expect(b).toBeDefined();
    await Promise.all([a.release(), b!.release()]);
  });
}

describe("MemorySemaphore", () => {
  semaphoreSuite(() => new MemorySemaphore());

  it("holds a slot however long its turn runs: no window rolls over", async () => {
    vi.useFakeTimers();
    try {
      const semaphore = new MemorySemaphore();
      const lease = await semaphore.acquire("long", 1);
      vi.advanceTimersByTime(6 * 60 * 60 * 1000);
      expect(await semaphore.acquire("long", 1)).toBeUndefined();
      await lease!.release();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe.skipIf(!testRedisUrl)(
  testRedisUrl ? "RedisSemaphore" : "RedisSemaphore (skipped: TEST_REDIS_URL is not set)",
  () => {
    const prefix = uniqueId("tp:test-sem");
    const connect = suiteRedis(prefix);

    semaphoreSuite(() => new RedisSemaphore(connect(), prefix));

    it("counts across instances: the cap holds for two instances asking at once", async () => {
      const one = new RedisSemaphore(connect(), prefix);
      const two = new RedisSemaphore(connect(), prefix);
      const key = uniqueId("k");
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).acquire(key, 4)),
      );
      const leases = results.filter((lease): lease is Lease => lease !== undefined);
      expect(leases).toHaveLength(4);
      await Promise.all(leases.map((lease) => lease.release()));
    });

    it("renews a held lease past its lifetime, and frees a dead instance's slot after it", async () => {
      const key = uniqueId("k");
      // Alive: 1 s leases renewed every 100 ms (a margin of 900 ms for a busy event loop).
      const alive = new RedisSemaphore(connect(), prefix, 1_000, 100);
      const held = (await alive.acquire(key, 2))!;
      // Dead: its lease is never renewed (the heartbeat would come after an hour).
      const dead = new RedisSemaphore(connect(), prefix, 1_000, 3_600_000);
      expect(await dead.acquire(key, 2)).toBeDefined();
      const other = new RedisSemaphore(connect(), prefix);
      expect(await other.acquire(key, 2)).toBeUndefined();

      await sleep(2_500);
      // The live lease is still held, the dead one has expired: one slot is free, not two.
      const late = await other.acquire(key, 2);
      expect(late).toBeDefined();
      expect(await other.acquire(key, 2)).toBeUndefined();
      await Promise.all([held.release(), late!.release()]);
    });

    it("leaves no key without an expiry", async () => {
      const redis = connect();
      const semaphore = new RedisSemaphore(redis, prefix, 5_000, 1_000);
      const key = uniqueId("k");
      const lease = (await semaphore.acquire(key, 1))!;
      const ttl = await redis.pttl(`${prefix}:${key}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5_000);
      await lease.release();
      expect(await redis.exists(`${prefix}:${key}`)).toBe(0);
    });
  },
);
