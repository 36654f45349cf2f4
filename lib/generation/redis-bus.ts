import "server-only";
import { randomUUID } from "node:crypto";
import type { UIMessageChunk } from "ai";
import type { Redis } from "ioredis";
import { log } from "@/lib/log";
import type { GenerationBus, GenerationPublisher } from "./bus";
import { MemoryGenerationBus } from "./memory-bus";

const STOP_CHANNEL = "tp:generation:stop";
const ACTIVE_TTL_MS = 10_000;
const HEARTBEAT_MS = 3_000;
/** A finished run's chunks stay readable this long, for a reconnect that races the end. */
const LINGER_MS = 60_000;
const BLOCK_MS = 5_000;

const streamKey = (key: string) => `tp:generation:${key}:chunks`;
const activeKey = (key: string) => `tp:generation:${key}:active`;

/**
 * The multi-instance bus: chunks go to a Redis stream (replayable from the start), liveness is
 * a key with a short TTL kept alive by a heartbeat, and Stop travels on a pub/sub channel to
 * whichever instance runs the generation.
 */
export class RedisGenerationBus implements GenerationBus {
  private readonly local = new Map<string, () => void>();
  /**
   * This instance's own runs, also kept in memory: the browser that asked is almost always
   * connected to the instance that generates, and follows it from here, chunk by chunk, without
   * a Redis connection of its own and a round trip per chunk.
   */
  private readonly here = new MemoryGenerationBus();
  private readonly ready: Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
  ) {
    this.subscriber.on("message", (channel: string, key: string) => {
      if (channel === STOP_CHANNEL) this.local.get(key)?.();
    });
    this.ready = this.subscriber.subscribe(STOP_CHANNEL);
  }

  async claim(key: string): Promise<(() => Promise<void>) | undefined> {
    // The active key itself is the claim (SET NX): taken, someone else generates or is about to.
    const token = `claim:${randomUUID()}`;
    const taken = await this.redis.set(activeKey(key), token, "PX", ACTIVE_TTL_MS, "NX");
    if (taken !== "OK") return undefined;
    // The previous run's lingering chunks must not be replayed as this one's.
    await this.redis.del(streamKey(key));
    return async () => {
      // Only our own claim: after its TTL, the key may be someone else's.
      await this.redis.eval(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
        1,
        activeKey(key),
        token,
      );
    };
  }

  async begin(key: string, onStop: () => void): Promise<GenerationPublisher> {
    await this.ready;
    this.local.set(key, onStop);
    await this.redis
      .multi()
      .del(streamKey(key))
      .set(activeKey(key), "1", "PX", ACTIVE_TTL_MS)
      .exec();
    const heartbeat = setInterval(() => {
      // The chunks expire too, so that a run whose instance died does not stay in Redis forever.
      Promise.all([
        this.redis.pexpire(activeKey(key), ACTIVE_TTL_MS),
        this.redis.pexpire(streamKey(key), LINGER_MS),
      ]).catch((error: unknown) => {
        log.warn("generation.heartbeat_failed", {
          key,
          message: error instanceof Error ? error.message : String(error),
        });
      });
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const here = await this.here.begin(key, onStop);

    return {
      publish: (chunk) => {
        here.publish(chunk);
        // One connection keeps commands in order; a failed write is logged, the generation goes on.
        this.redis.xadd(streamKey(key), "*", "c", JSON.stringify(chunk)).catch((error: unknown) => {
          log.warn("generation.publish_failed", {
            key,
            message: error instanceof Error ? error.message : String(error),
          });
        });
      },
      end: async () => {
        clearInterval(heartbeat);
        this.local.delete(key);
        await here.end();
        await this.redis
          .multi()
          .xadd(streamKey(key), "*", "end", "1")
          .pexpire(streamKey(key), LINGER_MS)
          .del(activeKey(key))
          .exec();
      },
    };
  }

  async isActive(key: string): Promise<boolean> {
    return (await this.redis.exists(activeKey(key))) === 1;
  }

  async subscribe(key: string): Promise<ReadableStream<UIMessageChunk> | undefined> {
    // Only while it runs: once it ended, another instance may have begun a newer run of the key.
    if (await this.here.isActive(key)) return this.here.subscribe(key);
    // A run that has just ended is still replayed (its stream lingers with an end marker): a
    // reload can read a turn's last checkpoint and ask to follow it a moment after it finished.
    // The stream itself appears with the first chunk; until then the active key says a run exists.
    if ((await this.redis.exists(streamKey(key), activeKey(key))) === 0) return undefined;
    // XREAD BLOCK holds its connection, so each follower gets its own.
    const connection = this.redis.duplicate();
    let lastId = "0";
    const isActive = () => this.isActive(key);
    return new ReadableStream<UIMessageChunk>({
      async pull(controller) {
        for (;;) {
          const result = await connection.xread(
            "COUNT",
            200,
            "BLOCK",
            BLOCK_MS,
            "STREAMS",
            streamKey(key),
            lastId,
          );
          const entries = result?.[0]?.[1] ?? [];
          if (entries.length === 0) {
            // Nothing new: a generation whose instance died leaves no end marker, only an expired key.
            if (!(await isActive())) {
              connection.disconnect();
              controller.close();
              return;
            }
            continue;
          }
          for (const [id, fields] of entries) {
            lastId = id;
            if (fields[0] === "end") {
              connection.disconnect();
              controller.close();
              return;
            }
            controller.enqueue(JSON.parse(fields[1] ?? "null") as UIMessageChunk);
          }
          return;
        }
      },
      cancel() {
        connection.disconnect();
      },
    });
  }

  async requestStop(key: string): Promise<boolean> {
    const local = this.local.get(key);
    if (local) {
      local();
      return true;
    }
    const active = await this.isActive(key);
    if (active) await this.redis.publish(STOP_CHANNEL, key);
    return active;
  }
}
