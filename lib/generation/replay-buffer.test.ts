import type { UIMessageChunk } from "ai";
import { describe, expect, it } from "vitest";
import { createTurnState } from "@/lib/chat/turn-state";
import { ThinkpaneError } from "@/lib/errors";
import { compactChunks, ReplayBuffer, replayLostChunk } from "./replay-buffer";

const LIMITS = { keep: 10, compactAt: 20, maxBytes: 100_000, holdBytes: 25_000 };

/** A turn as the AI SDK streams it: two steps, reasoning and text interleaved, metadata. */
function turn(deltas: number): UIMessageChunk[] {
  const chunks: UIMessageChunk[] = [
    { type: "start", messageId: "m1", messageMetadata: { status: "streaming" } },
    { type: "start-step" },
    { type: "reasoning-start", id: "r0" },
    { type: "text-start", id: "t0" },
  ];
  for (let i = 0; i < deltas; i++) {
    chunks.push({ type: "reasoning-delta", id: "r0", delta: `r${i} ` });
    chunks.push({ type: "text-delta", id: "t0", delta: `t${i} ` });
    if (i === 3) chunks.push({ type: "message-metadata", messageMetadata: { firstAnswerMs: 5 } });
  }
  chunks.push(
    { type: "reasoning-end", id: "r0" },
    { type: "text-end", id: "t0" },
    { type: "finish-step" },
    { type: "start-step" },
    // The same part id in a new step is a new part.
    { type: "text-start", id: "t0" },
    { type: "text-delta", id: "t0", delta: "second" },
    { type: "text-delta", id: "t0", delta: " step" },
    { type: "text-end", id: "t0" },
    { type: "finish-step" },
    { type: "finish", messageMetadata: { status: "done" } },
  );
  return chunks;
}

function messageOf(chunks: readonly UIMessageChunk[]) {
  const state = createTurnState();
  for (const chunk of chunks) state.apply(chunk);
  return state.snapshot();
}

describe("compactChunks", () => {
  it("builds the same message from far fewer chunks", () => {
    const chunks = turn(500);
    const compacted = compactChunks(chunks);
    expect(compacted.length).toBeLessThan(20);
    expect(messageOf(compacted)).toEqual(messageOf(chunks));
    expect(compacted.map((c) => c.type)).toEqual(compactChunks(compacted).map((c) => c.type));
  });
});

describe("ReplayBuffer", () => {
  it("keeps a bounded number of chunks, and a late reader still gets the whole message", () => {
    const buffer = new ReplayBuffer(LIMITS);
    const chunks = turn(5_000);
    for (const chunk of chunks) buffer.push(chunk);
    expect(buffer.length).toBe(chunks.length);
    const read = buffer.read(0);
    if ("lost" in read) throw new Error("the start was lost");
    expect(read.chunks.length).toBeLessThan(LIMITS.compactAt + 20);
    expect(read.next).toBe(chunks.length);
    expect(messageOf(read.chunks)).toEqual(messageOf(chunks));
    expect(messageOf(buffer.snapshot()!)).toEqual(messageOf(chunks));
  });

  it("gives a reader within the kept chunks the rest as it came, and one behind them 'behind'", () => {
    const buffer = new ReplayBuffer(LIMITS);
    const chunks = turn(100);
    for (const chunk of chunks) buffer.push(chunk);
    const near = buffer.length - 5;
    expect(buffer.read(near)).toEqual({ chunks: chunks.slice(near), next: chunks.length });
    expect(buffer.read(50)).toEqual({ lost: "behind" });
  });

  it("gives up the start past maxBytes, so a late reader is told, not given half a message", () => {
    const buffer = new ReplayBuffer({ ...LIMITS, maxBytes: 2_000 });
    for (const chunk of turn(1_000)) buffer.push(chunk);
    expect(buffer.read(0)).toEqual({ lost: "trimmed" });
    expect(buffer.snapshot()).toBeUndefined();
    // Live readers go on.
    expect("chunks" in buffer.read(buffer.length - 1)).toBe(true);
  });

  it("says what was lost with a coded error a client can show", () => {
    for (const reason of ["behind", "trimmed"] as const) {
      const chunk = replayLostChunk(reason);
      expect(chunk.type).toBe("error");
      const error = ThinkpaneError.fromText(chunk.type === "error" ? chunk.errorText : "");
      expect(error.code).toBe("gone:replay");
      expect(error.message).toMatch(/reload/i);
    }
  });
});
