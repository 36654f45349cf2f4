import type { LanguageModelUsage, TextStreamPart, ToolSet } from "ai";
import type { ErrorPayload } from "@/lib/errors";
import type { TurnMetadata } from "@/lib/types";

/** Where the provider metadata extractor files what it found (see provider.ts). */
export const METADATA_KEY = "thinkpane";

type Options = {
  model: string;
  startedAt: number;
  mapError: (error: unknown) => ErrorPayload;
  now?: () => number;
};

function toUsage(usage: LanguageModelUsage): NonNullable<TurnMetadata["usage"]> {
  return {
    promptTokens: usage.inputTokens,
    cachedPromptTokens: usage.inputTokenDetails?.cacheReadTokens || undefined,
    reasoningTokens: usage.outputTokenDetails?.reasoningTokens,
    answerTokens: usage.outputTokenDetails?.textTokens,
    totalTokens: usage.totalTokens,
  };
}

function costFrom(
  part: Extract<TextStreamPart<ToolSet>, { type: "finish-step" }>,
): number | undefined {
  const fromBody = part.providerMetadata?.[METADATA_KEY]?.costUsd;
  if (typeof fromBody === "number") return fromBody;
  const header = part.response.headers?.["x-aimlapi-usd-spent"];
  const fromHeader = header === undefined ? NaN : Number(header);
  return Number.isFinite(fromHeader) ? fromHeader : undefined;
}

/**
 * Watches the parts of one streamed turn and says which metadata to send when: the start, the
 * first reasoning token, the first answer token, an error, and the totals at the end.
 */
export function createTurnTracker({ model, startedAt, mapError, now = Date.now }: Options) {
  let firstReasoningAt: number | undefined;
  let firstAnswerAt: number | undefined;
  let costUsd: number | undefined;
  let error: ErrorPayload | undefined;

  return {
    onPart(part: TextStreamPart<ToolSet>): TurnMetadata | undefined {
      switch (part.type) {
        case "start":
          return { model, startedAt, status: "streaming" };
        case "reasoning-delta":
          if (firstReasoningAt !== undefined || part.text === "") return undefined;
          firstReasoningAt = now();
          return { firstReasoningMs: firstReasoningAt - startedAt };
        case "text-delta": {
          if (firstAnswerAt !== undefined || part.text === "") return undefined;
          firstAnswerAt = now();
          return {
            firstAnswerMs: firstAnswerAt - startedAt,
            ...(firstReasoningAt !== undefined
              ? { reasoningMs: firstAnswerAt - firstReasoningAt }
              : {}),
          };
        }
        case "finish-step":
          costUsd = costFrom(part) ?? costUsd;
          return undefined;
        case "error":
          error = mapError(part.error);
          return { status: "error", error };
        case "finish": {
          const end = now();
          const usage = toUsage(part.totalUsage);
          const firstTokenAt = firstReasoningAt ?? firstAnswerAt;
          const generated = part.totalUsage.outputTokens;
          const seconds = firstTokenAt !== undefined ? (end - firstTokenAt) / 1000 : 0;
          return {
            totalMs: end - startedAt,
            ...(firstReasoningAt !== undefined && firstAnswerAt === undefined
              ? { reasoningMs: end - firstReasoningAt }
              : {}),
            ...(generated !== undefined && seconds > 0
              ? { tokensPerSecond: generated / seconds }
              : {}),
            usage,
            ...(costUsd !== undefined ? { costUsd } : {}),
            finishReason: part.rawFinishReason ?? part.finishReason,
            status: error ? "error" : "done",
          };
        }
        default:
          return undefined;
      }
    },
  };
}
