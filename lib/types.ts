import type { UIMessage } from "ai";
import { z } from "zod";
import { errorPayloadSchema } from "./errors";
import { schemaVerdictSchema } from "./structured/verdict";

/** Longer than any model id, preset name or finish reason this app writes. */
const label = z.string().max(200);

/**
 * Per-turn metadata of an assistant message. The server sends it in pieces while the turn
 * streams (the client merges them); every field is optional for that reason. Imported files are
 * held to it too (lib/conversations/portable.ts), and stored metadata is read through it
 * (lib/db/conversations.ts): the conversation page and its shares only ever see this shape.
 * Unknown keys are dropped.
 */
export const turnMetadataSchema = z.object({
  model: label.optional(),
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
  finishReason: label.optional(),
  /** How the turn ended. */
  status: z.enum(["streaming", "done", "stopped", "error", "interrupted"]).optional(),
  /** The preset the request was sent with (see lib/presets): its version, and whether it was changed. */
  preset: z
    .object({ id: label, name: label, version: z.number(), modified: z.boolean() })
    .optional(),
  error: errorPayloadSchema.optional(),
  /** When the request asked for JSON: whether the answer fits, and why not (lib/structured). */
  schemaCheck: schemaVerdictSchema.optional(),
});

export type TurnMetadata = z.infer<typeof turnMetadataSchema>;

type MetadataKey = keyof typeof turnMetadataSchema.shape;
const metadataKeys = Object.keys(turnMetadataSchema.shape) as MetadataKey[];

/**
 * Metadata as stored, held to the schema field by field: what fits is kept, what does not (a
 * value stored before imports were checked) is left out and named in `dropped`, so one bad field
 * costs that field, not the turn's usage and timings. Unknown keys are dropped silently.
 */
export function readTurnMetadata(value: unknown): {
  metadata: TurnMetadata | undefined;
  dropped: MetadataKey[];
} {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { metadata: undefined, dropped: [] };
  const whole = turnMetadataSchema.safeParse(value);
  if (whole.success) return { metadata: whole.data, dropped: [] };
  const metadata: Record<string, unknown> = {};
  const dropped: MetadataKey[] = [];
  for (const key of metadataKeys) {
    if (!Object.hasOwn(value, key)) continue;
    const field = turnMetadataSchema.shape[key].safeParse((value as Record<string, unknown>)[key]);
    if (field.success) metadata[key] = field.data;
    else dropped.push(key);
  }
  return { metadata: metadata as TurnMetadata, dropped };
}

export type ThinkpaneUIMessage = UIMessage<TurnMetadata>;

export type StructuredOutputs = "strict" | "best-effort" | "none";

/** Where a provider takes reasoning back on assistant messages; `none`: it is never sent. */
export type ReasoningField = "reasoning" | "reasoning_content" | "none";

/** What GET /api/models gives the browser: no URLs, no keys. */
export type PublicModel = {
  id: string;
  label: string;
  provider: string;
  contextWindow?: number;
  /** Whether its provider enforces a JSON schema (lib/structured/enforcement.ts). */
  structuredOutputs?: StructuredOutputs;
  /** The field tool loops send reasoning back in (lib/upstream/provider.ts). */
  reasoningField?: ReasoningField;
  /** False when the server lacks the provider's key; `missingEnv` names the variable to set. */
  ready: boolean;
  missingEnv?: string;
};

export type ModelsResponse = { models: PublicModel[]; defaultModel: string };
