import "server-only";
import { streamText, type UIMessageChunk } from "ai";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import type { Settings } from "@/lib/params";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { toThinkpaneError, type UpstreamContext } from "./errors";
import { chatCallOf } from "./call";
import { chatModelFor } from "./provider";
import type { ExchangeRecorder } from "./recorder";
import type { ResolvedModel } from "./registry";
import { createTurnTracker } from "./turn-metrics";

type StreamChatInput = {
  model: ResolvedModel;
  settings: Settings;
  messages: ThinkpaneUIMessage[];
  /** Aborting it (Stop) closes the upstream connection. */
  abortSignal: AbortSignal;
  /** The id of the assistant message being generated. */
  messageId: string;
  /** Records the raw exchange (Inspect). */
  recorder?: ExchangeRecorder;
};

/**
 * Streams one assistant turn from the upstream as UI message chunks: reasoning, text, and
 * metadata (timings, usage, cost, a coded error). Failures end the stream with an error chunk;
 * the stream itself does not fail.
 */
export async function streamChat({
  model,
  settings,
  messages,
  abortSignal,
  messageId,
  recorder,
}: StreamChatInput): Promise<ReadableStream<UIMessageChunk>> {
  const context: UpstreamContext = {
    providerLabel: model.provider.label,
    envVar: model.provider.apiKeyEnv,
    secrets: model.apiKey ? [model.apiKey] : [],
  };
  const mapError = (error: unknown) => toThinkpaneError(error, context).toJSON();
  const tracker = createTurnTracker({
    model: model.id,
    startedAt: Date.now(),
    mapError,
    responseFormat: settings.params.response_format,
  });

  const result = streamText({
    model: chatModelFor(model, { recorder }),
    ...(await chatCallOf({ settings, messages })),
    maxRetries: env().UPSTREAM_MAX_RETRIES,
    abortSignal,
    onError: ({ error }) => {
      const mapped = toThinkpaneError(error, context);
      log.error("upstream.error", {
        model: model.id,
        code: mapped.code,
        message: mapped.message,
        upstreamStatus: mapped.details.upstreamStatus,
      });
    },
  });

  let lastError: string | undefined;
  return result.toUIMessageStream<ThinkpaneUIMessage>({
    sendReasoning: true,
    generateMessageId: () => messageId,
    messageMetadata: ({ part }) => {
      const metadata = tracker.onPart(part);
      if (metadata?.error) lastError = JSON.stringify(metadata.error);
      return metadata;
    },
    // The error text is the coded error as JSON; the client rebuilds it with ThinkpaneError.fromText.
    onError: (error) => lastError ?? JSON.stringify(mapError(error)),
  });
}
