import { describe, expect, it } from "vitest";
import { coalesce, takeEvents, uiChunkStream } from "./chat-transport";

async function chunksOf(reads: string[]) {
  const source = new ReadableStream<string>({
    start(controller) {
      for (const read of reads) controller.enqueue(read);
      controller.close();
    },
  });
  const out: unknown[] = [];
  const reader = source.pipeThrough(uiChunkStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

const event = (chunk: object) => `data: ${JSON.stringify(chunk)}\n\n`;

describe("the chat stream", () => {
  it("splits events, keeps an incomplete one for the next read, and skips [DONE]", () => {
    const { events, rest } = takeEvents('data: {"a":1}\n\n: comment\n\ndata: {"b"');
    expect(events).toEqual(['{"a":1}']);
    expect(rest).toBe('data: {"b"');
    expect(takeEvents("data: [DONE]\r\n\r\n").events).toEqual([]);
  });

  it("joins the deltas of one part that arrive in one read, and nothing else", () => {
    const chunks = coalesce([
      { type: "text-delta", id: "t", delta: "a" },
      { type: "text-delta", id: "t", delta: "b" },
      { type: "reasoning-delta", id: "t", delta: "c" },
      { type: "text-delta", id: "u", delta: "d" },
      { type: "text-delta", id: "u", delta: "e", providerMetadata: {} },
      { type: "finish" },
    ]);
    expect(chunks).toEqual([
      { type: "text-delta", id: "t", delta: "ab" },
      { type: "reasoning-delta", id: "t", delta: "c" },
      { type: "text-delta", id: "u", delta: "d" },
      { type: "text-delta", id: "u", delta: "e", providerMetadata: {} },
      { type: "finish" },
    ]);
  });

  it("delivers every delta across reads that cut events anywhere", async () => {
    const text = Array.from({ length: 50 }, (_, i) => ` word${i}`);
    const wire = [
      event({ type: "start" }),
      ...text.map((delta) => event({ type: "text-delta", id: "t", delta })),
      event({ type: "finish" }),
      "data: [DONE]\n\n",
    ].join("");
    const reads = wire.match(/[\s\S]{1,37}/g) ?? [];
    const chunks = (await chunksOf(reads)) as { type: string; delta?: string }[];
    expect(chunks[0]).toEqual({ type: "start" });
    expect(chunks.at(-1)).toEqual({ type: "finish" });
    expect(chunks.map((c) => c.delta ?? "").join("")).toBe(text.join(""));
  });

  it("refuses a malformed chunk and drops prototype keys", async () => {
    await expect(chunksOf([event({ type: "text-delta", id: "t" })])).rejects.toThrow(
      "without a text delta",
    );
    await expect(chunksOf(["data: 42\n\n"])).rejects.toThrow("no type");
    const [chunk] = (await chunksOf([
      'data: {"type":"finish","__proto__":{"polluted":true}}\n\n',
    ])) as object[];
    expect(Object.getPrototypeOf(chunk)).toBe(Object.prototype);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(chunk!)).toEqual(["type"]);
  });
});
