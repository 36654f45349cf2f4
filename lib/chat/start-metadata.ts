import type { UIMessageChunk } from "ai";
import type { TurnMetadata } from "@/lib/types";

/**
 * Adds what the service knows of a turn (its preset) to the metadata of the stream's start chunk,
 * so that the browser shows it at once and the saved turn keeps it.
 */
export function withStartMetadata(
  stream: ReadableStream<UIMessageChunk>,
  extra: TurnMetadata | undefined,
): ReadableStream<UIMessageChunk> {
  if (!extra) return stream;
  return stream.pipeThrough(
    new TransformStream<UIMessageChunk, UIMessageChunk>({
      transform(chunk, controller) {
        controller.enqueue(
          chunk.type === "start"
            ? {
                ...chunk,
                messageMetadata: { ...(chunk.messageMetadata as TurnMetadata), ...extra },
              }
            : chunk,
        );
      },
    }),
  );
}
