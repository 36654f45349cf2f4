import { z } from "zod";
import { SYSTEM_PROMPT_MAX, settingsSchema } from "@/lib/params";

export const MIN_COLUMNS = 2;
export const MAX_COLUMNS = 4;
export const MAX_RUNS_PER_COLUMN = 10;
export const MAX_PROMPT = 200_000;

export const comparisonIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, _ or -");

/** A column: its own model and parameters; its `settings.system` counts when it overrides. */
export const columnSchema = z
  .object({ settings: settingsSchema, overrideSystem: z.boolean().optional() })
  .strict();

/** What the browser saves before a Run: the prompt and each column's settings. */
export const comparisonSpecSchema = z
  .object({
    prompt: z.string().trim().min(1, "the prompt is empty").max(MAX_PROMPT),
    system: z.string().max(SYSTEM_PROMPT_MAX).optional(),
    columns: z.array(columnSchema).min(MIN_COLUMNS).max(MAX_COLUMNS),
    runsPerColumn: z.number().int().min(1).max(MAX_RUNS_PER_COLUMN),
    sequential: z.boolean(),
  })
  .strict();

export const saveComparisonSchema = comparisonSpecSchema
  .extend({ id: comparisonIdSchema })
  .strict();

/** One answer of one column, started by its own request. */
export const columnRunSchema = z
  .object({
    column: z
      .number()
      .int()
      .min(0)
      .max(MAX_COLUMNS - 1),
    run: z
      .number()
      .int()
      .min(0)
      .max(MAX_RUNS_PER_COLUMN - 1),
  })
  .strict();

export type ComparisonSpecInput = z.infer<typeof comparisonSpecSchema>;
