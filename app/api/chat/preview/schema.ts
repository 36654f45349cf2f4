import { z } from "zod";
import { settingsSchema } from "@/lib/params";
import { idSchema, MAX_TEXT } from "../schema";

/** What View code asks for: the next Send's settings, conversation and composer text. */
export const previewRequestSchema = z
  .object({
    settings: settingsSchema,
    conversationId: idSchema.optional(),
    /** The composer's text; empty or absent: "Hello". */
    text: z.string().max(MAX_TEXT).optional(),
    stream: z.boolean().default(true),
  })
  .strict();
