import type { LanguageModelUsage, TextStreamPart, ToolSet } from "ai";
import type { ErrorPayload } from "@/lib/errors";
import { asksForJson, checkStructuredOutput } from "@/lib/structured/check";
import type { TurnMetadata } from "@/lib/types";

/** Where the provider metadata extractor files what it found (see provider.ts). */
export const METADATA_KEY = "thinkpane";

type Options = {
  model: string;
  startedAt: number;
  mapError: (error: unknown) => ErrorPayload;
  /** The request's response_format: a JSON answer is checked against it at the end. */
  responseFormat?: unknown;
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
export function createTurnTracker({
  model,
  startedAt,
  mapError,
  responseFormat,
  now = Date.now,
}: Options) {
  // The texts are kept only when there will be an answer to check.
  const keepText = asksForJson(responseFormat);
  let answer = "";
  let reasoning = "";
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
          if (keepText) reasoning += part.text;
          if (firstReasoningAt !== undefined || part.text === "") return undefined;
          firstReasoningAt = now();
          return { firstReasoningMs: firstReasoningAt - startedAt };
        case "text-delta": {
          if (keepText) answer += part.text;
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
          const finishReason = part.rawFinishReason ?? part.finishReason;
          const schemaCheck = error
            ? null
            : checkStructuredOutput({ responseFormat, answer, reasoning, finishReason });
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
            finishReason,
            status: error ? "error" : "done",
            ...(schemaCheck ? { schemaCheck } : {}),
          };
        }
        default:
          return undefined;
      }
    },
  };
}
