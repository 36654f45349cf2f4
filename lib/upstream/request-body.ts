import "server-only";
import { generateText, streamText } from "ai";
import type { Settings } from "@/lib/params";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { chatCallOf } from "./call";
import { chatModelFor } from "./provider";
import type { ResolvedModel } from "./registry";

/**
 * Thrown by the capturing fetch once it has the body, so the request never leaves the server.
 * Named as an abort: the SDK passes aborts through as they are, without retrying or wrapping.
 */
class Captured extends Error {
  override name = "AbortError";
}

/**
 * The JSON body the proxy would send upstream for a turn: a dry run of the same provider call
 * (chatCallOf, chatModelFor) with a fetch that records the body and aborts. Streaming is the
 * proxy's own call; `stream: false` is the same call made without streaming (no `stream`,
 * no `stream_options`), as a non-streaming client would send it. Never a second mapping.
 */
export async function requestBodyOf({
  model,
  settings,
  messages,
  stream,
}: {
  model: ResolvedModel;
  settings: Settings;
  messages: readonly ThinkpaneUIMessage[];
  stream: boolean;
}): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> | undefined;
  const capture: typeof fetch = async (_input, init) => {
    body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    throw new Captured("dry run: body captured");
  };
  const call = {
    model: chatModelFor(model, { fetch: capture }),
    ...(await chatCallOf({ settings, messages })),
    maxRetries: 0,
  };
  let failure: unknown;
  if (stream) {
    await streamText({ ...call, onError: () => {} }).consumeStream({
      onError: (error) => (failure ??= error),
    });
  } else {
    await generateText(call).catch((error: unknown) => (failure = error));
  }
  if (body === undefined) throw failure ?? new Error("The dry run made no request.");
  return body;
}
