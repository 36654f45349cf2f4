import type { UIMessageChunk } from "ai";

/**
 * Where a running generation publishes its UI message chunks, so that the browser that asked,
 * a reloaded tab, or another instance can follow it, and where Stop reaches it. One generation
 * at a time per conversation, keyed by its owner and the conversation id (`turnKey`).
 *
 * Two implementations: in process (one instance) and Redis (several instances, REDIS_URL).
 */
export interface GenerationBus {
  /**
   * Reserves the key for a generation about to begin, atomically: of two requests for one
   * conversation at the same instant, one gets the claim and the other undefined. The claim
   * counts as active. `begin` takes it over; call the returned release only if `begin` is
   * never reached.
   */
  claim(key: string): Promise<(() => Promise<void>) | undefined>;
  /** Registers a generation. `onStop` runs when Stop is requested here or on another instance. */
  begin(key: string, onStop: () => void): Promise<GenerationPublisher>;
  /** Whether a generation for this key is running (on any instance the bus reaches). */
  isActive(key: string): Promise<boolean>;
  /**
   * Every chunk from the start (older ones compacted: the same message in fewer chunks), then
   * live ones until the end; a run that ended moments ago is replayed whole. A follower that
   * cannot be given that (the start was dropped for size, or it fell behind the kept chunks)
   * reads an error chunk coded gone:replay instead. Undefined when there is no such run.
   */
  subscribe(key: string): Promise<ReadableStream<UIMessageChunk> | undefined>;
  /** Asks the generation to stop; true when one was running. */
  requestStop(key: string): Promise<boolean>;
}

export interface GenerationPublisher {
  publish(chunk: UIMessageChunk): void;
  /** Marks the end; subscribers finish after the chunks already published. */
  end(): Promise<void>;
}
