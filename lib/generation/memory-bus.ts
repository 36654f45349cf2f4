import type { UIMessageChunk } from "ai";
import type { GenerationBus, GenerationPublisher } from "./bus";

type Run = {
  chunks: UIMessageChunk[];
  done: boolean;
  listeners: Set<() => void>;
  onStop: () => void;
};

/** Keeps a finished run's chunks this long, for a reconnect that races the end. */
const LINGER_MS = 30_000;

/** The single-instance bus: generations live in this process's memory. */
export class MemoryGenerationBus implements GenerationBus {
  private readonly runs = new Map<string, Run>();
  private readonly claims = new Set<string>();

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
    const run: Run = { chunks: [], done: false, listeners: new Set(), onStop };
    this.runs.set(key, run);
    const notify = () => run.listeners.forEach((listener) => listener());
    return {
      publish: (chunk) => {
        run.chunks.push(chunk);
        notify();
      },
      end: async () => {
        run.done = true;
        notify();
        setTimeout(() => {
          if (this.runs.get(key) === run) this.runs.delete(key);
        }, LINGER_MS).unref();
      },
    };
  }

  async isActive(key: string): Promise<boolean> {
    if (this.claims.has(key)) return true;
    const run = this.runs.get(key);
    return run !== undefined && !run.done;
  }

  async subscribe(key: string): Promise<ReadableStream<UIMessageChunk> | undefined> {
    // A run that has just ended is still replayed: a reload can read a turn's last checkpoint
    // from the database and ask to follow it a moment after it finished.
    const run = this.runs.get(key);
    if (!run) return undefined;
    let index = 0;
    let wake: (() => void) | undefined;
    const listener = () => wake?.();
    run.listeners.add(listener);
    return new ReadableStream<UIMessageChunk>({
      async pull(controller) {
        while (index >= run.chunks.length && !run.done) {
          await new Promise<void>((resolve) => (wake = resolve));
        }
        if (index < run.chunks.length) {
          // Everything already published in one pull: a follower that fell behind catches up
          // without a wake-up per chunk.
          while (index < run.chunks.length) controller.enqueue(run.chunks[index++]!);
          return;
        }
        run.listeners.delete(listener);
        controller.close();
      },
      cancel() {
        run.listeners.delete(listener);
      },
    });
  }

  async requestStop(key: string): Promise<boolean> {
    const run = this.runs.get(key);
    if (!run || run.done) return false;
    run.onStop();
    return true;
  }
}
