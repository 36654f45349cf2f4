import { z } from "zod";
import type { SchemaVerdict } from "./check";

/** A stored verdict, as turn metadata holds it (lib/types.ts); no validator in here. */
export const schemaVerdictSchema: z.ZodType<SchemaVerdict> = z.object({
  valid: z.boolean(),
  kind: z.enum(["valid", "not_json", "fenced", "in_reasoning", "length", "schema"]),
  message: z.string().max(2000),
  errors: z.array(z.object({ path: z.string().max(500), message: z.string().max(500) })).max(20),
  parsed: z.unknown().optional(),
});
