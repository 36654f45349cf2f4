import type { UIMessageChunk } from "ai";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { uniqueId } from "@/lib/testing/db";
import { RedisGenerationBus } from "./redis-bus";

// The test runner's setting, not the app's configuration: lib/env.ts does not know it.
// eslint-disable-next-line no-restricted-syntax
const redisUrl = process.env.TEST_REDIS_URL?.trim() || undefined;

const streamKey = (key: string) => `tp:generation:${key}:chunks`;
const activeKey = (key: string) => `tp:generation:${key}:active`;

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
    const instance = () => new RedisGenerationBus(connect(), connect());

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
        await admin.del(...usedKeys.flatMap((key) => [streamKey(key), activeKey(key)]));
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
  },
);
