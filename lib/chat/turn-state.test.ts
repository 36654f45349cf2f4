import { readUIMessageStream, type UIMessageChunk } from "ai";
import { describe, expect, it } from "vitest";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { createTurnState } from "./turn-state";

/** What the AI SDK builds from the same chunks: the reference the turn's state must match. */
async function sdkMessage(chunks: UIMessageChunk[]) {
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  let last: ThinkpaneUIMessage | undefined;
  for await (const message of readUIMessageStream<ThinkpaneUIMessage>({
    stream,
    onError: () => {},
  }))
    last = message;
  return JSON.parse(JSON.stringify({ parts: last?.parts, metadata: last?.metadata }));
}

function stateOf(chunks: UIMessageChunk[]) {
  const state = createTurnState();
  for (const chunk of chunks) state.apply(chunk);
  return JSON.parse(JSON.stringify(state.snapshot()));
}

const turn: UIMessageChunk[] = [
  { type: "start", messageId: "a1", messageMetadata: { model: "m", status: "streaming" } },
  { type: "start-step" },
  { type: "reasoning-start", id: "r1" },
  { type: "reasoning-delta", id: "r1", delta: "Think" },
  { type: "message-metadata", messageMetadata: { firstReasoningMs: 12 } },
  { type: "reasoning-delta", id: "r1", delta: "ing." },
  { type: "reasoning-end", id: "r1" },
  { type: "text-start", id: "t1", providerMetadata: { upstream: { a: 1 } } },
  { type: "text-delta", id: "t1", delta: "Hello" },
  { type: "text-delta", id: "t1", delta: " there" },
  { type: "text-end", id: "t1" },
  { type: "finish-step" },
  {
    type: "finish",
    finishReason: "stop",
    messageMetadata: { status: "done", usage: { promptTokens: 3, answerTokens: 2 } },
  },
];

describe("createTurnState", () => {
  it("builds the same parts and metadata as the AI SDK from a whole turn", async () => {
    expect(stateOf(turn)).toEqual(await sdkMessage(turn));
    expect(stateOf(turn).parts[1]).toMatchObject({ type: "reasoning", text: "Thinking." });
  });

  it("matches it mid-stream and after an error, parts still streaming", async () => {
    const cut: UIMessageChunk[] = [
      ...turn.slice(0, 9),
      { type: "error", errorText: "boom" },
      { type: "message-metadata", messageMetadata: { status: "error" } },
    ];
    expect(stateOf(cut)).toEqual(await sdkMessage(cut));
    expect(stateOf(cut).parts.at(-1)).toMatchObject({ state: "streaming", text: "Hello" });
  });

  it("gives snapshots that later chunks do not change", () => {
    const state = createTurnState();
    for (const chunk of turn.slice(0, 9)) state.apply(chunk);
    const before = state.snapshot();
    state.apply({ type: "text-delta", id: "t1", delta: " more" });
    expect(before.parts.at(-1)).toMatchObject({ text: "Hello" });
  });
});
