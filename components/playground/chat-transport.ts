import { DefaultChatTransport, type UIMessage, type UIMessageChunk } from "ai";

/*
 * The AI SDK's DefaultChatTransport parses each server-sent event with a generic SSE parser and
 * validates it with zod, then useChat updates its state once per chunk: at thousands of tokens
 * a second that alone kept the main thread busy. Here the events of one network read are split
 * with plain string operations, checked structurally, and adjacent deltas of the same part are
 * joined into one chunk, so the SDK's per-chunk work runs once per read instead of per token.
 * The chunks come from our own server; the text in them is still untrusted and rendered as such.
 */

type Chunk = Record<string, unknown> & { type: string };

const DELTA_TYPES = new Set(["text-delta", "reasoning-delta"]);
// The AI SDK's own guard against prototype keys (secure-json-parse), plain and \u-escaped.
const SUSPECT_KEY =
  /"(?:_|\\u005[Ff]){2}(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff]){2}"\s*:|"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

function parseChunk(data: string): Chunk {
  const value: unknown = SUSPECT_KEY.test(data)
    ? JSON.parse(data, (key, v: unknown) =>
        key === "__proto__" || key === "constructor" ? undefined : v,
      )
    : JSON.parse(data);
  if (typeof value !== "object" || value === null || typeof (value as Chunk).type !== "string")
    throw new TypeError("Invalid UI message chunk: no type");
  const chunk = value as Chunk;
  if (DELTA_TYPES.has(chunk.type) && typeof chunk.delta !== "string")
    throw new TypeError(`Invalid UI message chunk: ${chunk.type} without a text delta`);
  return chunk;
}

/** The data of each complete event in `buffer`, and what is left of an incomplete one. */
export function takeEvents(buffer: string): { events: string[]; rest: string } {
  const normalised = buffer.includes("\r") ? buffer.replace(/\r\n?/g, "\n") : buffer;
  const blocks = normalised.split("\n\n");
  const rest = blocks.pop() ?? "";
  const events: string[] = [];
  for (const block of blocks) {
    let data: string | undefined;
    for (const line of block.split("\n")) {
      if (!line.startsWith("data:")) continue; // comments, event names, ids
      const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
      data = data === undefined ? value : `${data}\n${value}`;
    }
    if (data !== undefined && data !== "[DONE]") events.push(data);
  }
  return { events, rest };
}

/** Joins adjacent deltas of the same part (same type and id, nothing else on them). */
export function coalesce(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  for (const chunk of chunks) {
    const previous = out.at(-1);
    const plain = (c: Chunk) => DELTA_TYPES.has(c.type) && c.providerMetadata === undefined;
    if (
      previous &&
      plain(previous) &&
      plain(chunk) &&
      previous.type === chunk.type &&
      previous.id === chunk.id
    ) {
      out[out.length - 1] = {
        ...previous,
        delta: `${previous.delta as string}${chunk.delta as string}`,
      };
    } else out.push(chunk);
  }
  return out;
}

export function uiChunkStream(): TransformStream<string, UIMessageChunk> {
  let buffer = "";
  return new TransformStream({
    transform(text, controller) {
      const { events, rest } = takeEvents(buffer + text);
      buffer = rest;
      for (const chunk of coalesce(events.map(parseChunk)))
        controller.enqueue(chunk as unknown as UIMessageChunk);
    },
    flush(controller) {
      const { events } = takeEvents(`${buffer}\n\n`);
      for (const chunk of coalesce(events.map(parseChunk)))
        controller.enqueue(chunk as unknown as UIMessageChunk);
    },
  });
}

/** DefaultChatTransport (same requests, same resume semantics) with the cheaper stream above. */
export class ChatTransport<M extends UIMessage> extends DefaultChatTransport<M> {
  protected override processResponseStream(stream: ReadableStream<Uint8Array>) {
    return stream
      .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
      .pipeThrough(uiChunkStream());
  }
}
