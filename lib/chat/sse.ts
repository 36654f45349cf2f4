import { UI_MESSAGE_STREAM_HEADERS, type UIMessageChunk } from "ai";

const encoder = new TextEncoder();
const DONE = encoder.encode("data: [DONE]\n\n");

/**
 * The response for a stream of UI chunks: the same bytes and headers as the AI SDK's
 * createUIMessageStreamResponse, in one stream instead of two transforms (JSON to SSE text,
 * text to bytes) that each cost promises per chunk. Cancelling it (the browser went away)
 * cancels only this follower, never the generation.
 */
export function uiMessageStreamResponse(chunks: ReadableStream<UIMessageChunk>): Response {
  const reader = chunks.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await reader.read();
      if (next.done) {
        controller.enqueue(DONE);
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(`data: ${JSON.stringify(next.value)}\n\n`));
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
