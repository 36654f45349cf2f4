import type { UIMessageChunk } from "ai";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { uniqueId } from "@/lib/testing/db";
import { ThinkpaneError } from "@/lib/errors";
import { RedisGenerationBus, type RedisBusOptions } from "./redis-bus";

// The test runner's setting, not the app's configuration: lib/env.ts does not know it.
// eslint-disable-next-line no-restricted-syntax
const redisUrl = process.env.TEST_REDIS_URL?.trim() || undefined;

// Keys of this file's own, so that parallel runs and other tests never meet them.
const PREFIX = `tp-test:${uniqueId("bus")}:`;
const streamKey = (key: string) => `${PREFIX}${key}:chunks`;
const activeKey = (key: string) => `${PREFIX}${key}:active`;
const snapshotKey = (key: string) => `${PREFIX}${key}:snapshot`;

const delta = (text: string): UIMessageChunk => ({ type: "text-delta", id: "t1", delta: text });

async function readAll(stream: ReadableStream<UIMessageChunk> | undefined) {
  if (!stream) throw new Error("Expected a stream to follow");
  const chunks: UIMessageChunk[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read())
    chunks.push(next.value);
  return chunks;
}

describe.skipIf(!redisUrl)(
  redisUrl ? "RedisGenerationBus" : "RedisGenerationBus (skipped: TEST_REDIS_URL is not set)",
  () => {
    const connections: Redis[] = [];
    const usedKeys: string[] = [];
    let admin: Redis;

    function connect(): Redis {
      const connection = new Redis(redisUrl!, { maxRetriesPerRequest: 2 });
      connections.push(connection);
      return connection;
    }

    /** One app instance: a command connection and a pub/sub one, as lib/generation builds it. */
    const instance = (options: RedisBusOptions = {}) =>
      new RedisGenerationBus(connect(), connect(), { prefix: PREFIX, ...options });

    /** A key no other test (nor a concurrent run of this file) uses; removed afterwards. */
    function newKey(): string {
      const key = uniqueId("gen");
      usedKeys.push(key);
      return key;
    }

    beforeAll(() => {
      admin = connect();
    });

    afterEach(async () => {
      if (usedKeys.length > 0)
        await admin.del(
          ...usedKeys.flatMap((key) => [streamKey(key), activeKey(key), snapshotKey(key)]),
        );
      usedKeys.length = 0;
    });

    afterAll(async () => {
      await Promise.all(connections.map((connection) => connection.quit()));
    });

    it("replays a running generation from the start, then follows it live until its end", async () => {
      const bus = instance();
      const key = newKey();
      const publisher = await bus.begin(key, () => {});
      publisher.publish(delta("a"));
      publisher.publish(delta("b"));

      const followed = readAll(await bus.subscribe(key));
      publisher.publish(delta("c"));
      await publisher.end();

      expect(await followed).toEqual([delta("a"), delta("b"), delta("c")]);
    });

    it("follows a generation subscribed to right after it began, before its first chunk", async () => {
      const bus = instance();
      const key = newKey();
      const publisher = await bus.begin(key, () => {});
      const followed = readAll(await bus.subscribe(key));
      publisher.publish(delta("a"));
      await publisher.end();
      expect(await followed).toEqual([delta("a")]);
    });

    it("gives every subscriber every chunk, on this instance and another", async () => {
      const a = instance();
      const b = instance();
      const key = newKey();
      const publisher = await a.begin(key, () => {});
      const onA = readAll(await a.subscribe(key));
      publisher.publish(delta("a"));
      const onB = readAll(await b.subscribe(key));
      publisher.publish(delta("b"));
      const lateOnB = readAll(await b.subscribe(key));
      await publisher.end();

      const all = [delta("a"), delta("b")];
      expect(await onA).toEqual(all);
      expect(await onB).toEqual(all);
      expect(await lateOnB).toEqual(all);
    });

    it("replays a run that just ended, whole, then closes; it lingers with a TTL", async () => {
      const a = instance();
      const b = instance();
      const key = newKey();
      const publisher = await a.begin(key, () => {});
      publisher.publish(delta("a"));
      publisher.publish(delta("b"));
      await publisher.end();

      expect(await readAll(await b.subscribe(key))).toEqual([delta("a"), delta("b")]);
      expect(await readAll(await a.subscribe(key))).toEqual([delta("a"), delta("b")]);
      // Redis forgets it by itself once the linger window is over.
      const ttl = await admin.pttl(streamKey(key));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await admin.exists(activeKey(key))).toBe(0);
    });

    it("has nothing to follow for a key that never ran", async () => {
      expect(await instance().subscribe(newKey())).toBeUndefined();
    });

    it("is active from begin to end, as every instance sees it", async () => {
      const a = instance();
      const b = instance();
      const key = newKey();
      expect(await b.isActive(key)).toBe(false);
      const publisher = await a.begin(key, () => {});
      expect(await a.isActive(key)).toBe(true);
      expect(await b.isActive(key)).toBe(true);
      await publisher.end();
      expect(await a.isActive(key)).toBe(false);
      expect(await b.isActive(key)).toBe(false);
    });

    it("requestStop calls onStop of a generation running on this instance", async () => {
      const bus = instance();
      const key = newKey();
      const onStop = vi.fn();
      const publisher = await bus.begin(key, onStop);
      expect(await bus.requestStop(newKey())).toBe(false);
      expect(await bus.requestStop(key)).toBe(true);
      expect(onStop).toHaveBeenCalledTimes(1);
      await publisher.end();
      expect(await bus.requestStop(key)).toBe(false);
      expect(onStop).toHaveBeenCalledTimes(1);
    });

    it("requestStop on another instance reaches onStop through pub/sub", async () => {
      const a = instance();
      const b = instance();
      const key = newKey();
      const onStop = vi.fn();
      const publisher = await a.begin(key, onStop);

      expect(await b.requestStop(key)).toBe(true);
      await vi.waitFor(() => expect(onStop).toHaveBeenCalledTimes(1));
      await publisher.end();
      expect(await b.isActive(key)).toBe(false);
      expect(await b.requestStop(key)).toBe(false);
    });

    it("closes a follower once a generation whose instance died without end() goes inactive", async () => {
      const a = instance();
      const b = instance();
      const key = newKey();
      // A process that dies sends no more heartbeats: begin's interval never fires here.
      vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
      const publisher = await a.begin(key, () => {});
      vi.useRealTimers();
      publisher.publish(delta("a"));
      publisher.publish(delta("b"));

      const started = Date.now();
      const followed = readAll(await b.subscribe(key));
      // The active key's real TTL is 10 s; let it run out sooner, as it would have by then.
      expect(await admin.pttl(activeKey(key))).toBeGreaterThan(0);
      await admin.pexpire(activeKey(key), 200);

      expect(await followed).toEqual([delta("a"), delta("b")]);
      // The follower notices at its next empty read (a blocking read of at most 5 s).
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(await b.isActive(key)).toBe(false);
    }, 10_000);

    it("gives one claim per key across instances, released only by its holder", async () => {
      const key = newKey();
      const [a, b] = [instance(), instance()];
      const claims = await Promise.all([a.claim(key), b.claim(key), a.claim(key), b.claim(key)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await b.isActive(key)).toBe(true);

      const publisher = await a.begin(key, () => undefined);
      // The holder's late release does not free a key that a run now holds.
      await claims.find(Boolean)!();
      expect(await b.isActive(key)).toBe(true);
      expect(await b.claim(key)).toBeUndefined();
      await publisher.end();
      const next = await b.claim(key);
      expect(next).toBeDefined();
      await next!();
      expect(await a.isActive(key)).toBe(false);
    });

    /** Until the instance's connection has sent everything published so far. */
    const flushed = (bus: RedisGenerationBus) => (bus as unknown as { redis: Redis }).redis.ping();

    const textOf = (chunks: UIMessageChunk[]) =>
      chunks.map((c) => (c.type === "text-delta" ? c.delta : "")).join("");

    it("keeps about MAXLEN chunks in Redis; a follower who joins after the start was trimmed gets the whole text", async () => {
      const a = instance({ maxLen: 100, snapshotEvery: 40 });
      const b = instance({ maxLen: 100, snapshotEvery: 40 });
      const key = newKey();
      const publisher = await a.begin(key, () => {});
      publisher.publish({ type: "text-start", id: "t1" });
      const words = Array.from({ length: 3_000 }, (_, i) => `w${i} `);
      for (const word of words) publisher.publish(delta(word));
      await flushed(a);
      // Approximate trimming removes whole nodes of 100 entries: never fewer than MAXLEN left.
      const length = await admin.xlen(streamKey(key));
      expect(length).toBeGreaterThanOrEqual(100);
      expect(length).toBeLessThan(300);

      const late = readAll(await b.subscribe(key));
      for (const word of ["and ", "more"]) publisher.publish(delta(word));
      await publisher.end();
      const chunks = await late;
      expect(chunks[0]).toEqual({ type: "text-start", id: "t1" });
      expect(textOf(chunks)).toBe(`${words.join("")}and more`);
      // The snapshot stands for thousands of chunks.
      expect(chunks.length).toBeLessThan(300);
      // A follower after the end gets it whole, from the last snapshot and the end marker.
      expect(textOf(await readAll(await b.subscribe(key)))).toBe(`${words.join("")}and more`);
    });

    it("tells a late follower when the start is gone and no snapshot stands for it", async () => {
      const a = instance({ maxLen: 100, snapshotEvery: 40 });
      const b = instance({ maxLen: 100, snapshotEvery: 40 });
      const key = newKey();
      const publisher = await a.begin(key, () => {});
      for (let i = 0; i < 1_000; i++) publisher.publish(delta("x"));
      await flushed(a);
      await admin.del(snapshotKey(key));
      const chunks = await readAll(await b.subscribe(key));
      expect(chunks).toHaveLength(1);
      const [lost] = chunks;
      expect(ThinkpaneError.fromText(lost?.type === "error" ? lost.errorText : "").code).toBe(
        "gone:replay",
      );
      await publisher.end();
    });

    it("gives every key an expiry from the command that creates it: a crash before the first heartbeat leaves none for ever", async () => {
      const key = newKey();
      // A process that dies sends no heartbeats: begin's interval never fires here.
      vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
      const a = instance({ maxLen: 100, snapshotEvery: 40 });
      const release = await a.claim(key);
      expect(release).toBeDefined();
      const publisher = await a.begin(key, () => {});
      vi.useRealTimers();
      for (let i = 0; i < 50; i++) publisher.publish(delta("x"));
      await flushed(a);
      const keys = await admin.keys(`${PREFIX}${key}:*`);
      expect(keys.sort()).toEqual([activeKey(key), streamKey(key), snapshotKey(key)].sort());
      for (const name of keys) expect(await admin.pttl(name)).toBeGreaterThan(0);
      await publisher.end();
      for (const name of await admin.keys(`${PREFIX}${key}:*`))
        expect(await admin.pttl(name)).toBeGreaterThan(0);
    });

    it("renews a claim until the run begins, and stops renewing once it is released", async () => {
      const a = instance();
      const b = instance();
      const key = newKey();
      const release = await a.claim(key);
      expect(release).toBeDefined();
      // Past one heartbeat (3 s): the claim's TTL (10 s) was renewed, not left to run down.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect(await admin.pttl(activeKey(key))).toBeGreaterThan(8_000);
      expect(await b.claim(key)).toBeUndefined();
      await release!();
      expect(await admin.exists(activeKey(key))).toBe(0);
      const next = await b.claim(key);
      expect(next).toBeDefined();
      await next!();
    }, 10_000);

    it("lets go of a claim whose setup fails, instead of leaving the key taken", async () => {
      const a = instance();
      const key = newKey();
      const connection = (a as unknown as { redis: Redis }).redis;
      vi.spyOn(connection, "del").mockRejectedValueOnce(new Error("connection lost"));
      await expect(a.claim(key)).rejects.toThrow("connection lost");
      expect(await admin.exists(activeKey(key))).toBe(0);
      const next = await instance().claim(key);
      expect(next).toBeDefined();
      await next!();
    });

    it("shares one Redis reader among the followers of a run on one instance", async () => {
      const a = instance();
      const b = instance();
      const key = newKey();
      const duplicate = vi.spyOn((b as unknown as { redis: Redis }).redis, "duplicate");
      const publisher = await a.begin(key, () => {});
      publisher.publish(delta("a"));
      const streams = await Promise.all(Array.from({ length: 5 }, () => b.subscribe(key)));
      const followers = streams.map((stream) => readAll(stream));
      publisher.publish(delta("b"));
      await publisher.end();
      for (const chunks of await Promise.all(followers))
        expect(chunks).toEqual([delta("a"), delta("b")]);
      expect(duplicate).toHaveBeenCalledTimes(1);
    });
  },
);
