import "server-only";
import type { UIMessageChunk } from "ai";
import { env } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";
import { limits } from "@/lib/limits";

/**
 * Opens a follow of a running turn for its owner, counted for as long as its stream is open:
 * each holds a connection and a reader, and one owner may hold only MAX_FOLLOWERS_PER_USER at
 * once, on all instances together (a semaphore in Redis when REDIS_URL is set). Past that, 429
 * rate_limited:followers; nothing is opened.
 */
export async function countedFollow(
  ownerId: string,
  open: () => Promise<ReadableStream<UIMessageChunk> | undefined>,
): Promise<ReadableStream<UIMessageChunk> | undefined> {
  const cap = env().MAX_FOLLOWERS_PER_USER;
  const lease = cap > 0 ? await limits().followSlot(ownerId, cap) : undefined;
  if (cap > 0 && !lease)
    throw new ThinkpaneError("rate_limited:followers", {
      message: `You are following ${cap} running answers, the most this server allows at once. Close a tab that shows one, or wait for one to finish.`,
      details: { limit: "open follows per user" },
    });
  const release = () => void lease?.release();
  let stream: ReadableStream<UIMessageChunk> | undefined;
  try {
    stream = await open();
  } catch (error) {
    release();
    throw error;
  }
  if (!stream) {
    release();
    return undefined;
  }
  const reader = stream.getReader();
  return new ReadableStream<UIMessageChunk>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) {
          release();
          controller.close();
        } else controller.enqueue(next.value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
}
