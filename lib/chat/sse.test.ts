import type { UIMessageChunk } from "ai";
import { describe, expect, it } from "vitest";
import { uiMessageStreamResponse } from "./sse";

const delta = (text: string): UIMessageChunk => ({ type: "text-delta", id: "t1", delta: text });
const event = (chunk: UIMessageChunk) => `data: ${JSON.stringify(chunk)}\n\n`;

describe("uiMessageStreamResponse", () => {
  it("writes the chunks already queued as one piece, later ones as they come, then [DONE]", async () => {
    let source!: ReadableStreamDefaultController<UIMessageChunk>;
    const chunks = new ReadableStream<UIMessageChunk>({ start: (c) => void (source = c) });
    // Queued before anyone reads: a follower catching up.
    source.enqueue({ type: "text-start", id: "t1" });
    source.enqueue(delta("a"));
    source.enqueue(delta("b"));
    const response = uiMessageStreamResponse(chunks);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const read = async () => {
      const next = await reader.read();
      return next.done ? undefined : decoder.decode(next.value);
    };

    expect(await read()).toBe(
      event({ type: "text-start", id: "t1" }) + event(delta("a")) + event(delta("b")),
    );
    // Nothing queued: the next piece waits for the next chunk, and carries only it.
    const later = read();
    await new Promise((resolve) => setTimeout(resolve, 10));
    source.enqueue(delta("c"));
    expect(await later).toBe(event(delta("c")));
    source.enqueue(delta("d"));
    source.close();
    expect(await read()).toBe(event(delta("d")));
    expect(await read()).toBe("data: [DONE]\n\n");
    expect(await read()).toBeUndefined();
  });

  it("cancelling the response cancels its source only", async () => {
    let cancelled: unknown;
    const chunks = new ReadableStream<UIMessageChunk>({
      cancel: (reason) => void (cancelled = reason),
    });
    await uiMessageStreamResponse(chunks).body!.cancel("gone");
    expect(cancelled).toBe("gone");
  });
});
