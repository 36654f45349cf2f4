import { UI_MESSAGE_STREAM_HEADERS, type UIMessageChunk } from "ai";

const encoder = new TextEncoder();
const DONE = encoder.encode("data: [DONE]\n\n");
// Settled before any read that still waits for its chunk, after any read already fulfilled.
const NOT_READY_MARK = Symbol("not ready");
const NOT_READY = Promise.resolve(NOT_READY_MARK);

/**
 * The response for a stream of UI chunks: the same bytes and headers as the AI SDK's
 * createUIMessageStreamResponse, in one stream instead of two transforms (JSON to SSE text,
 * text to bytes) that each cost promises per chunk. Cancelling it (the browser went away)
 * cancels only this follower, never the generation.
 */
export function uiMessageStreamResponse(chunks: ReadableStream<UIMessageChunk>): Response {
  const reader = chunks.getReader();
  // A read that was not ready when a batch was cut; the next pull starts with it.
  let waiting: Promise<ReadableStreamReadResult<UIMessageChunk>> | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next = await (waiting ?? reader.read());
      waiting = undefined;
      // The chunks already queued (a follower catching up reads many at once) go out as one
      // write: one syscall and one pass through the response pipe instead of one per chunk.
      let text = "";
      while (!next.done) {
        text += `data: ${JSON.stringify(next.value)}\n\n`;
        const read = reader.read();
        const ready = await Promise.race([read, NOT_READY]);
        if (ready === NOT_READY_MARK) {
          waiting = read;
          break;
        }
        next = ready;
      }
      if (text) controller.enqueue(encoder.encode(text));
      if (next.done) {
        controller.enqueue(DONE);
        controller.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    headers: {
      ...UI_MESSAGE_STREAM_HEADERS,
      // no-transform: the server's compression (and any proxy's) leaves the stream alone, so
      // that every chunk goes out the moment it is written; gzip would hold bytes back and cost
      // a zlib stream per open answer.
      "cache-control": "no-store, no-transform",
    },
  });
}
