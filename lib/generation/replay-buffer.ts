import type { UIMessageChunk } from "ai";
import { ThinkpaneError } from "@/lib/errors";

export type ReplayLimits = {
  /** The newest chunks kept as they came, for followers reading live. */
  keep: number;
  /** Once this many are kept as they came, the older ones are compacted (see `compactChunks`). */
  compactAt: number;
  /** The turn's text kept for followers who join late; past it, its start is given up. */
  maxBytes: number;
  /**
   * How much a follower that is behind may hold back compaction; past it, it is told that it
   * fell behind. Bounds the memory a stalled client costs.
   */
  holdBytes: number;
};

/**
 * A turn can reach the context window (131,072 tokens, some 600 kB of text): its whole text
 * fits under maxBytes. Thousands of chunks per second, of a few characters each, are kept as
 * about as many compacted chunks as the answer has parts.
 */
export const DEFAULT_REPLAY_LIMITS: ReplayLimits = {
  keep: 1_000,
  compactAt: 2_000,
  maxBytes: 4 * 1024 * 1024,
  // Some 15,000 chunks: seconds of a fast stream, for a follower slowed for a moment.
  holdBytes: 1024 * 1024,
};

export type ReplayRead =
  | { chunks: UIMessageChunk[]; next: number }
  /** `behind`: the follower fell so far behind that its next chunks are gone; `trimmed`: the start is. */
  | { lost: "behind" | "trimmed" };

type Delta = Extract<UIMessageChunk, { type: "text-delta" | "reasoning-delta" }>;

const isDelta = (chunk: UIMessageChunk): chunk is Delta =>
  chunk.type === "text-delta" || chunk.type === "reasoning-delta";

/** Which part a start, delta or end chunk belongs to. */
function partOf(chunk: UIMessageChunk): string | undefined {
  switch (chunk.type) {
    case "text-start":
    case "text-delta":
    case "text-end":
      return `text:${chunk.id}`;
    case "reasoning-start":
    case "reasoning-delta":
    case "reasoning-end":
      return `reasoning:${chunk.id}`;
    default:
      return undefined;
  }
}

/**
 * The same message in fewer chunks: every delta of a part is merged into that part's first
 * delta. Parts begin and end where they did, in the same order, and each part's text is the
 * same, so a client that reads the result builds the same message (the AI SDK concatenates a
 * part's deltas; parts are placed by their start chunks).
 */
export function compactChunks(chunks: readonly UIMessageChunk[]): UIMessageChunk[] {
  const out: UIMessageChunk[] = [];
  const open = new Map<string, number>();
  for (const chunk of chunks) {
    const part = partOf(chunk);
    if (isDelta(chunk) && part !== undefined) {
      const at = open.get(part);
      const previous = at === undefined ? undefined : out[at];
      if (at !== undefined && previous && isDelta(previous)) {
        out[at] = {
          ...previous,
          delta: previous.delta + chunk.delta,
          ...(chunk.providerMetadata ? { providerMetadata: chunk.providerMetadata } : {}),
        };
        continue;
      }
      open.set(part, out.length);
    } else if (part !== undefined) {
      // A start begins a new part under this id, an end closes it: later deltas stay after it.
      open.delete(part);
    } else if (chunk.type === "finish-step") {
      open.clear();
    }
    out.push(chunk);
  }
  return out;
}

const sizeOf = (chunk: UIMessageChunk) => 64 + (isDelta(chunk) ? chunk.delta.length : 0);

/** A live follower's place: the chunks it has yet to read are not compacted away. */
export type ReplayReader = { position: number };

/**
 * The chunks of one generation, kept for its followers within fixed bounds: the newest
 * `keep` chunks as they came (live followers read them), everything older compacted into a
 * prefix (a late follower reads that first), and no prefix at all past `maxBytes`.
 * Positions count chunks as published, so a follower keeps its place across compactions.
 *
 * A registered reader that is behind holds back compaction, so that a follower slowed for a
 * moment (a busy server or browser, a burst of thousands of chunks) still gets every chunk;
 * only past `holdBytes` is it told that it fell behind.
 */
export class ReplayBuffer {
  /** Chunks [0, base) compacted; undefined once given up for size. */
  private prefix: UIMessageChunk[] | undefined = [];
  private prefixBytes = 0;
  private base = 0;
  private tail: UIMessageChunk[] = [];
  private tailBytes = 0;
  private readonly readers = new Set<ReplayReader>();

  constructor(private readonly limits: ReplayLimits = DEFAULT_REPLAY_LIMITS) {}

  /** How many chunks have been published. */
  get length(): number {
    return this.base + this.tail.length;
  }

  push(chunk: UIMessageChunk): void {
    this.tail.push(chunk);
    this.tailBytes += sizeOf(chunk);
    if (this.tail.length >= this.limits.compactAt || this.tailBytes > this.limits.maxBytes)
      this.compact();
    if (this.prefix && this.prefixBytes + this.tailBytes > this.limits.maxBytes) {
      this.prefix = undefined;
      this.prefixBytes = 0;
    }
  }

  /** Registers a live follower, which reads from `reader.position` and moves it on. */
  follow(): ReplayReader {
    const reader = { position: 0 };
    this.readers.add(reader);
    return reader;
  }

  unfollow(reader: ReplayReader): void {
    this.readers.delete(reader);
  }

  /** The chunks from position `from` on, and the position after them. */
  read(from: number): ReplayRead {
    if (from >= this.base) return { chunks: this.tail.slice(from - this.base), next: this.length };
    if (from > 0) return { lost: "behind" };
    if (!this.prefix) return { lost: "trimmed" };
    return { chunks: [...this.prefix, ...this.tail], next: this.length };
  }

  /** Everything so far, compacted; undefined when the start was given up. */
  snapshot(): UIMessageChunk[] | undefined {
    return this.prefix && compactChunks([...this.prefix, ...this.tail]);
  }

  private compact(): void {
    const overBytes = this.tailBytes > this.limits.maxBytes;
    let count = this.tail.length - this.limits.keep;
    // Not what a follower has yet to read (one at 0 reads the compacted prefix anyway), unless
    // it holds more than its share...
    if (this.tailBytes <= this.limits.holdBytes)
      for (const reader of this.readers)
        if (reader.position > 0) count = Math.min(count, reader.position - this.base);
    // ...and then only in batches, so that a follower moving on a little at a time does not
    // make every push compact.
    if (count < this.limits.compactAt - this.limits.keep) count = 0;
    // A few huge chunks, or a follower past the byte budget: keep only the newest.
    if (overBytes) count = this.tail.length - 1;
    if (count <= 0) return;
    const moved = this.tail.splice(0, count);
    const movedBytes = moved.reduce((sum, chunk) => sum + sizeOf(chunk), 0);
    this.tailBytes -= movedBytes;
    this.base += count;
    if (!this.prefix) return;
    this.prefix = compactChunks([...this.prefix, ...moved]);
    this.prefixBytes = this.prefix.reduce((sum, chunk) => sum + sizeOf(chunk), 0);
  }
}

/** What a follower reads in place of chunks it can no longer be given. */
export function replayLostChunk(reason: "behind" | "trimmed"): UIMessageChunk {
  const error = new ThinkpaneError("gone:replay", {
    message:
      reason === "behind"
        ? "This answer came faster than it could be shown here. It goes on and is saved: reload the page to see it."
        : "This answer is too long to replay from its start. It goes on and is saved: reload the page when it has finished.",
  });
  return { type: "error", errorText: JSON.stringify(error.toJSON()) };
}
