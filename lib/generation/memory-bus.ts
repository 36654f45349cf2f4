import type { UIMessageChunk } from "ai";
import type { GenerationBus, GenerationPublisher } from "./bus";
import {
  DEFAULT_REPLAY_LIMITS,
  ReplayBuffer,
  replayLostChunk,
  type ReplayLimits,
} from "./replay-buffer";

type Run = {
  buffer: ReplayBuffer;
  done: boolean;
  listeners: Set<() => void>;
  onStop: () => void;
};

export type MemoryBusOptions = {
  /** How much of a run is kept for its followers. */
  replay?: ReplayLimits;
  /** A finished run's chunks are kept this long, for a reconnect that races the end. */
  lingerMs?: number;
};

/** The single-instance bus: generations live in this process's memory, within fixed bounds. */
export class MemoryGenerationBus implements GenerationBus {
  private readonly runs = new Map<string, Run>();
  private readonly claims = new Set<string>();
  private readonly replay: ReplayLimits;
  private readonly lingerMs: number;

  constructor(options: MemoryBusOptions = {}) {
    this.replay = options.replay ?? DEFAULT_REPLAY_LIMITS;
    this.lingerMs = options.lingerMs ?? 30_000;
  }

  async claim(key: string): Promise<(() => Promise<void>) | undefined> {
    // No await between the check and the add: nothing else runs in between.
    const run = this.runs.get(key);
    if (this.claims.has(key) || (run !== undefined && !run.done)) return undefined;
    this.claims.add(key);
    return async () => {
      this.claims.delete(key);
    };
  }

  async begin(key: string, onStop: () => void): Promise<GenerationPublisher> {
    this.claims.delete(key);
    const run: Run = {
      buffer: new ReplayBuffer(this.replay),
      done: false,
      listeners: new Set(),
      onStop,
    };
    this.runs.set(key, run);
    const notify = () => run.listeners.forEach((listener) => listener());
    return {
      publish: (chunk) => {
        run.buffer.push(chunk);
        notify();
      },
      end: async () => {
        run.done = true;
        notify();
        setTimeout(() => {
          if (this.runs.get(key) === run) this.runs.delete(key);
        }, this.lingerMs).unref();
      },
    };
  }

  async isActive(key: string): Promise<boolean> {
    return this.claims.has(key) || this.running(key);
  }

  /** Whether a run of this key has begun and not ended; synchronous, for check-then-act. */
  running(key: string): boolean {
    const run = this.runs.get(key);
    return run !== undefined && !run.done;
  }

  /** How many follow the run of this key (0 when there is none). */
  followers(key: string): number {
    return this.runs.get(key)?.listeners.size ?? 0;
  }

  /** The run so far in few chunks, for a follower elsewhere; undefined when too long or none. */
  snapshot(key: string): UIMessageChunk[] | undefined {
    return this.runs.get(key)?.buffer.snapshot();
  }

  async subscribe(key: string): Promise<ReadableStream<UIMessageChunk> | undefined> {
    // A run that has just ended is still replayed: a reload can read a turn's last checkpoint
    // from the database and ask to follow it a moment after it finished.
    const run = this.runs.get(key);
    if (!run) return undefined;
    const reader = run.buffer.follow();
    let wake: (() => void) | undefined;
    const listener = () => wake?.();
    run.listeners.add(listener);
    const leave = () => {
      run.listeners.delete(listener);
      run.buffer.unfollow(reader);
    };
    return new ReadableStream<UIMessageChunk>({
      async pull(controller) {
        while (reader.position >= run.buffer.length && !run.done) {
          await new Promise<void>((resolve) => (wake = resolve));
        }
        if (reader.position < run.buffer.length) {
          // Everything already published in one pull: a follower that fell behind catches up
          // without a wake-up per chunk.
          const read = run.buffer.read(reader.position);
          if ("lost" in read) {
            controller.enqueue(replayLostChunk(read.lost));
          } else {
            for (const chunk of read.chunks) controller.enqueue(chunk);
            reader.position = read.next;
            return;
          }
        }
        leave();
        controller.close();
      },
      cancel: leave,
    });
  }

  async requestStop(key: string): Promise<boolean> {
    const run = this.runs.get(key);
    if (!run || run.done) return false;
    run.onStop();
    return true;
  }
}
