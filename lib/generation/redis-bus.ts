import "server-only";
import { randomUUID } from "node:crypto";
import type { UIMessageChunk } from "ai";
import type { Redis } from "ioredis";
import { describeError, log } from "@/lib/log";
import type { GenerationBus, GenerationPublisher } from "./bus";
import { MemoryGenerationBus } from "./memory-bus";
import { replayLostChunk, type ReplayLimits } from "./replay-buffer";

export type RedisBusOptions = {
  /** Prefix of every key and of the Stop channel. */
  prefix?: string;
  /** A run's liveness (and a claim) expires this long after its last heartbeat. */
  activeTtlMs?: number;
  heartbeatMs?: number;
  /** A finished run's chunks stay readable this long, for a reconnect that races the end. */
  lingerMs?: number;
  /** Chunks kept in a run's stream (approximately: Redis trims whole nodes, never below it). */
  maxLen?: number;
  /** Every this many chunks, the run so far is saved compacted, for followers who join late. */
  snapshotEvery?: number;
  /** The longest a follower's read blocks before it checks that the run is still alive. */
  blockMs?: number;
  /** Bounds of the in-memory buffers (this instance's runs, and what it follows of others'). */
  replay?: ReplayLimits;
};

type Snapshot = { seq: number; chunks: UIMessageChunk[] };
/** Where a new reader starts: after `seq`, with `chunks` standing for everything before. */
type Start = Snapshot | "none" | "trimmed";

/** A stream entry's id is `0-<n>`, n counting the run's chunks from 1: a gap shows. */
const entryId = (seq: number) => `0-${seq}`;
const seqOf = (id: string) => Number(id.slice(id.indexOf("-") + 1));

/**
 * The multi-instance bus: chunks go to a Redis stream, bounded (MAXLEN) and expiring, with a
 * compacted snapshot of the run so far for followers who join after its start was trimmed;
 * liveness is a key with a short TTL kept alive by a heartbeat; Stop travels on a pub/sub
 * channel to whichever instance runs the generation. Every key this bus writes has a TTL from
 * the command that creates it, so a crash at any point leaves nothing behind for long.
 */
export class RedisGenerationBus implements GenerationBus {
  private readonly local = new Map<string, () => void>();
  /** Claims of this instance not yet taken over by `begin`, each with its renewal timer. */
  private readonly claims = new Map<string, NodeJS.Timeout>();
  /**
   * This instance's own runs, also kept in memory: the browser that asked is almost always
   * connected to the instance that generates, and follows it from here, chunk by chunk, without
   * a Redis connection of its own and a round trip per chunk.
   */
  private readonly here: MemoryGenerationBus;
  /**
   * Other instances' runs that someone here follows: one Redis reader per run, whose chunks
   * every follower on this instance reads from memory.
   */
  private readonly mirrors: MemoryGenerationBus;
  private readonly ready: Promise<unknown>;
  private readonly o: Required<Omit<RedisBusOptions, "replay">>;
  private readonly stopChannel: string;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    options: RedisBusOptions = {},
  ) {
    this.o = {
      prefix: options.prefix ?? "tp:generation:",
      activeTtlMs: options.activeTtlMs ?? 10_000,
      heartbeatMs: options.heartbeatMs ?? 3_000,
      lingerMs: options.lingerMs ?? 60_000,
      maxLen: options.maxLen ?? 2_000,
      snapshotEvery: options.snapshotEvery ?? 500,
      blockMs: options.blockMs ?? 5_000,
    };
    // A snapshot must still have its next chunk in the stream when it is replaced.
    if (this.o.snapshotEvery >= this.o.maxLen)
      throw new Error("RedisGenerationBus: snapshotEvery must be below maxLen");
    this.here = new MemoryGenerationBus({ replay: options.replay });
    this.mirrors = new MemoryGenerationBus({ replay: options.replay, lingerMs: 0 });
    this.stopChannel = `${this.o.prefix}stop`;
    this.subscriber.on("message", (channel: string, key: string) => {
      if (channel === this.stopChannel) this.local.get(key)?.();
    });
    this.ready = this.subscriber.subscribe(this.stopChannel);
  }

  private streamKey = (key: string) => `${this.o.prefix}${key}:chunks`;
  private activeKey = (key: string) => `${this.o.prefix}${key}:active`;
  private snapshotKey = (key: string) => `${this.o.prefix}${key}:snapshot`;

  async claim(key: string): Promise<(() => Promise<void>) | undefined> {
    // The active key itself is the claim (SET NX): taken, someone else generates or is about to.
    const token = `claim:${randomUUID()}`;
    const active = this.activeKey(key);
    const taken = await this.redis.set(active, token, "PX", this.o.activeTtlMs, "NX");
    if (taken !== "OK") return undefined;
    // Renewed until the run begins or the claim is let go: admitting a turn may take longer
    // than the TTL, and another request must not claim the key meanwhile.
    const renewal = setInterval(() => {
      this.redis
        .eval(
          "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0",
          1,
          active,
          token,
          this.o.activeTtlMs,
        )
        .catch((error: unknown) =>
          log.warn("generation.claim_renewal_failed", describeError(error)),
        );
    }, this.o.heartbeatMs);
    renewal.unref();
    this.claims.set(key, renewal);
    const release = async () => {
      clearInterval(renewal);
      if (this.claims.get(key) === renewal) this.claims.delete(key);
      // Only our own claim: after its TTL, the key may be someone else's.
      await this.redis.eval(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
        1,
        active,
        token,
      );
    };
    try {
      // The previous run's lingering chunks must not be replayed as this one's.
      await this.redis.del(this.streamKey(key), this.snapshotKey(key));
    } catch (error) {
      await release();
      throw error;
    }
    return release;
  }

  async begin(key: string, onStop: () => void): Promise<GenerationPublisher> {
    // The claim's renewal ends here: the run's heartbeat takes over.
    clearInterval(this.claims.get(key));
    this.claims.delete(key);
    await this.ready;
    const stream = this.streamKey(key);
    const snapshot = this.snapshotKey(key);
    const active = this.activeKey(key);
    await this.redis
      .multi()
      .del(stream, snapshot)
      .set(active, "run", "PX", this.o.activeTtlMs)
      .exec();
    this.local.set(key, onStop);
    const heartbeat = setInterval(() => {
      // The chunks expire too, so that a run whose instance died does not stay in Redis forever.
      Promise.all([
        this.redis.pexpire(active, this.o.activeTtlMs),
        this.redis.pexpire(stream, this.o.lingerMs),
        this.redis.pexpire(snapshot, this.o.lingerMs),
      ]).catch((error: unknown) => log.warn("generation.heartbeat_failed", describeError(error)));
    }, this.o.heartbeatMs);
    heartbeat.unref();
    const here = await this.here.begin(key, onStop);
    const failed = (error: unknown) => log.warn("generation.publish_failed", describeError(error));
    let seq = 0;

    return {
      publish: (chunk) => {
        here.publish(chunk);
        seq += 1;
        const add = [
          "MAXLEN",
          "~",
          this.o.maxLen,
          entryId(seq),
          "c",
          JSON.stringify(chunk),
        ] as const;
        // One connection keeps commands in order; a failed write is logged, the generation goes on.
        if (seq === 1) {
          // The stream is born with a TTL: a crash before the first heartbeat leaves no key
          // without one.
          this.redis
            .multi()
            .xadd(stream, ...add)
            .pexpire(stream, this.o.lingerMs)
            .exec()
            .catch(failed);
        } else {
          // Never re-created (and so never without a TTL) once expired: followers see the gap.
          this.redis.xadd(stream, "NOMKSTREAM", ...add).catch(failed);
        }
        if (seq % this.o.snapshotEvery === 0) {
          const chunks = this.here.snapshot(key);
          // Too long to keep whole: late followers are told so (no snapshot, trimmed start).
          const write = chunks
            ? this.redis.set(snapshot, JSON.stringify({ seq, chunks }), "PX", this.o.lingerMs)
            : this.redis.del(snapshot);
          write.catch(failed);
        }
      },
      end: async () => {
        clearInterval(heartbeat);
        this.local.delete(key);
        await here.end();
        const chunks = this.here.snapshot(key);
        const multi = this.redis
          .multi()
          .xadd(stream, "MAXLEN", "~", this.o.maxLen, entryId(seq + 1), "end", "1")
          .pexpire(stream, this.o.lingerMs);
        if (chunks) multi.set(snapshot, JSON.stringify({ seq, chunks }), "PX", this.o.lingerMs);
        else multi.del(snapshot);
        await multi.del(active).exec();
      },
    };
  }

  async isActive(key: string): Promise<boolean> {
    return (await this.redis.exists(this.activeKey(key))) === 1;
  }

  async subscribe(key: string): Promise<ReadableStream<UIMessageChunk> | undefined> {
    // Only while it runs: once it ended, another instance may have begun a newer run of the key.
    if (await this.here.isActive(key)) return this.here.subscribe(key);
    if (this.mirrors.running(key)) return this.mirrors.subscribe(key);
    const start = await this.startOf(key);
    if (start === "none") return undefined;
    // Another follower here may have started a reader meanwhile. No await between this check
    // and begin's registering the run: the first follower starts the reader, the others share it.
    if (this.mirrors.running(key)) return this.mirrors.subscribe(key);
    const publisher = await this.mirrors.begin(key, () => undefined);
    const followed = await this.mirrors.subscribe(key);
    void this.read(key, start, publisher);
    return followed;
  }

  /**
   * Where a reader of this run starts: from its first chunk while that is still in the stream,
   * else from the latest snapshot, whose next chunk is kept (snapshots come more often than
   * MAXLEN chunks). A run that has just ended is replayed too (its stream lingers with an end
   * marker); until its first chunk, the active key alone says that a run exists.
   */
  private async startOf(key: string): Promise<Start> {
    const results = await this.redis
      .multi()
      .xrange(this.streamKey(key), "-", "+", "COUNT", 1)
      .get(this.snapshotKey(key))
      .exists(this.activeKey(key))
      .exec();
    const [first, saved, active] = (results ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    }) as [[string, string[]][], string | null, number];
    const firstSeq = first[0] ? seqOf(first[0][0]) : undefined;
    if (firstSeq === undefined) return active === 1 ? { seq: 0, chunks: [] } : "none";
    if (firstSeq === 1) return { seq: 0, chunks: [] };
    const snapshot = saved ? (JSON.parse(saved) as Snapshot) : undefined;
    return snapshot && snapshot.seq >= firstSeq - 1 ? snapshot : "trimmed";
  }

  /** This instance's one reader of a run: from Redis into memory, while anyone here follows. */
  private async read(key: string, start: Start, publisher: GenerationPublisher): Promise<void> {
    // XREAD BLOCK holds its connection: one per run followed here, not one per follower.
    const connection = this.redis.duplicate();
    try {
      if (start === "none" || start === "trimmed") {
        publisher.publish(replayLostChunk("trimmed"));
        return;
      }
      for (const chunk of start.chunks) publisher.publish(chunk);
      let last = start.seq;
      while (this.mirrors.followers(key) > 0) {
        const result = await connection.xread(
          "COUNT",
          500,
          "BLOCK",
          this.o.blockMs,
          "STREAMS",
          this.streamKey(key),
          entryId(last),
        );
        const entries = result?.[0]?.[1] ?? [];
        // Nothing new: a generation whose instance died leaves no end marker, only an expired key.
        if (entries.length === 0 && !(await this.isActive(key))) return;
        for (const [id, fields] of entries) {
          const seq = seqOf(id);
          if (seq !== last + 1) {
            // Trimmed before this reader got to it: say so rather than skip chunks.
            publisher.publish(replayLostChunk("behind"));
            return;
          }
          last = seq;
          if (fields[0] === "end") return;
          publisher.publish(JSON.parse(fields[1] ?? "null") as UIMessageChunk);
        }
      }
    } catch (error) {
      log.warn("generation.follow_failed", describeError(error));
      publisher.publish(replayLostChunk("behind"));
    } finally {
      connection.disconnect();
      await publisher.end();
    }
  }

  async requestStop(key: string): Promise<boolean> {
    const local = this.local.get(key);
    if (local) {
      local();
      return true;
    }
    const active = await this.isActive(key);
    if (active) await this.redis.publish(this.stopChannel, key);
    return active;
  }
}
