import { z } from "zod";
import { settingsSchema } from "@/lib/params";

const MAX_TEXT = 200_000;

// Parts the browser may send back: text and reasoning (reasoning is dropped before the upstream
// call by the reasoning policy). Fields the SDK adds to parts (state, providerMetadata) are allowed.
const partSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text"), text: z.string().max(MAX_TEXT) }),
  z.looseObject({ type: z.literal("reasoning"), text: z.string().max(MAX_TEXT) }),
  z.looseObject({ type: z.literal("step-start") }),
]);

const messageSchema = z
  .object({
    id: z.string().min(1).max(200),
    role: z.enum(["user", "assistant"]),
    parts: z.array(partSchema).max(200),
    metadata: z.unknown().optional(),
  })
  .strict();

export const chatRequestSchema = z
  .object({
    /** The conversation id the client keeps; used for logging now, for storage later. */
    id: z.string().min(1).max(200),
    messages: z
      .array(messageSchema)
      .min(1)
      .max(1000)
      .refine(
        (messages) => messages.at(-1)?.role === "user",
        "the last message must be the user's",
      ),
    settings: settingsSchema,
    /** Sent by the AI SDK's transport. */
    trigger: z.enum(["submit-message", "regenerate-message"]).optional(),
    messageId: z.string().max(200).optional(),
  })
  .strict();

export type ChatRequest = z.infer<typeof chatRequestSchema>;
