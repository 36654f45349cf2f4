import { z } from "zod";
import { settingsSchema } from "@/lib/params";
import { presetRefSchema } from "@/lib/presets/schema";

export const MAX_TEXT = 200_000;

export const idSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, _ or -");

const messageSchema = z
  .object({
    id: idSchema,
    text: z.string().trim().min(1, "the message is empty").max(MAX_TEXT),
  })
  .strict();

const common = {
  conversationId: idSchema,
  settings: settingsSchema,
  /** The preset the settings came from; the turn records it. */
  preset: presetRefSchema.optional(),
  /**
   * The message the browser shows before this turn's user message (null: the first message);
   * the turn goes under it, and history is the path down to it. Absent: the path last shown.
   */
  parentId: idSchema.nullable().optional(),
};

/** A function call's result, as the person (or a saved mock) answered it. */
export const MAX_TOOL_RESULT = 100_000;
const toolResultSchema = z
  .object({
    toolCallId: z.string().min(1).max(200),
    output: z.string().max(MAX_TOOL_RESULT),
  })
  .strict();

/**
 * The browser sends only what changed (a new message, a regenerate, an edit, the results of the
 * last answer's function calls) and the settings; the server owns the history and loads it from
 * the database.
 */
export const chatRequestSchema = z.discriminatedUnion("trigger", [
  z.object({ ...common, trigger: z.literal("submit-message"), message: messageSchema }).strict(),
  z.object({ ...common, trigger: z.literal("regenerate-message") }).strict(),
  z.object({ ...common, trigger: z.literal("edit-message"), message: messageSchema }).strict(),
  z
    .object({
      ...common,
      trigger: z.literal("submit-tool-results"),
      /** The answer whose calls these results answer: the conversation's last message. */
      messageId: idSchema,
      results: z.array(toolResultSchema).max(128),
    })
    .strict(),
]);

export type ChatRequest = z.infer<typeof chatRequestSchema>;
