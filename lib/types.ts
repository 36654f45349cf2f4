import type { UIMessage } from "ai";
import { z } from "zod";
import type { ErrorPayload } from "./errors";

/**
 * Per-turn metadata of an assistant message. The server sends it in pieces while the turn
 * streams (the client merges them); every field is optional for that reason.
 */
export const turnMetadataSchema = z.object({
  model: z.string().optional(),
  /** Epoch ms when the server received the request. */
  startedAt: z.number().optional(),
  /** ms from the request to the first reasoning token. */
  firstReasoningMs: z.number().optional(),
  /** ms from the request to the first answer token. */
  firstAnswerMs: z.number().optional(),
  /** ms spent reasoning: from the first reasoning token to the first answer token (or the end). */
  reasoningMs: z.number().optional(),
  totalMs: z.number().optional(),
  /** Output tokens (reasoning + answer) per second of generation. */
  tokensPerSecond: z.number().optional(),
  usage: z
    .object({
      promptTokens: z.number().optional(),
      cachedPromptTokens: z.number().optional(),
      reasoningTokens: z.number().optional(),
      answerTokens: z.number().optional(),
      totalTokens: z.number().optional(),
    })
    .optional(),
  /** USD, when the upstream reports it (AI/ML API `meta.usage.usd_spent`). */
  costUsd: z.number().optional(),
  finishReason: z.string().optional(),
  /** How the turn ended. */
  status: z.enum(["streaming", "done", "stopped", "error", "interrupted"]).optional(),
  /** The preset the request was sent with (see lib/presets): its version, and whether it was changed. */
  preset: z
    .object({ id: z.string(), name: z.string(), version: z.number(), modified: z.boolean() })
    .optional(),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

export type TurnMetadata = z.infer<typeof turnMetadataSchema> & { error?: ErrorPayload };

export type ThinkpaneUIMessage = UIMessage<TurnMetadata>;

/** What GET /api/models gives the browser: no URLs, no keys. */
export type PublicModel = {
  id: string;
  label: string;
  provider: string;
  contextWindow?: number;
  /** False when the server lacks the provider's key; `missingEnv` names the variable to set. */
  ready: boolean;
  missingEnv?: string;
};

export type ModelsResponse = { models: PublicModel[]; defaultModel: string };
