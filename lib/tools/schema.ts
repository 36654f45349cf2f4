import { z } from "zod";

/**
 * Function tools a person defines in the playground (issue 12). They are settings: they travel
 * with the parameters (lib/params.ts, key `tools`), so presets, Compare columns, exports and
 * shares carry them without a second path. Only the enabled ones go upstream, as
 * `tools: [{ type: "function", function: { name, description, parameters } }]`; `enabled` and
 * `mock` never leave the server.
 */

/** OpenAI's rule for function names; several servers enforce it. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const MAX_TOOLS = 32;
export const MAX_MOCK_CHARS = 20_000;

export const toolDefSchema = z
  .object({
    name: z.string().regex(TOOL_NAME_PATTERN, "use 1-64 letters, digits, _ or -"),
    description: z.string().max(2_000).optional(),
    /** A JSON Schema for the arguments (an object schema, as the API expects). */
    parameters: z.record(z.string(), z.unknown()),
    /** Off: kept in the list, not sent. */
    enabled: z.boolean(),
    /** What the function "returns" when the loop runs on mocks: pre-fills the result form. */
    mock: z.string().max(MAX_MOCK_CHARS).optional(),
  })
  .strict();

export type ToolDef = z.infer<typeof toolDefSchema>;

export const toolsSchema = z
  .array(toolDefSchema)
  .max(MAX_TOOLS, `at most ${MAX_TOOLS} tools`)
  .superRefine((tools, ctx) => {
    const seen = new Set<string>();
    tools.forEach((tool, index) => {
      if (seen.has(tool.name))
        ctx.addIssue({
          code: "custom",
          message: `the name "${tool.name}" is used twice`,
          path: [index, "name"],
        });
      seen.add(tool.name);
    });
  });

/** `tool_choice` on the wire: a mode, or one named function. */
export const toolChoiceSchema = z.union([
  z.enum(["auto", "none", "required"]),
  z
    .object({
      type: z.literal("function"),
      function: z.object({ name: z.string().regex(TOOL_NAME_PATTERN) }).strict(),
    })
    .strict(),
]);

export type ToolChoice = z.infer<typeof toolChoiceSchema>;

export function enabledTools(tools: readonly ToolDef[] | undefined): ToolDef[] {
  return (tools ?? []).filter((tool) => tool.enabled);
}

/** The name a `tool_choice` forces, if it forces one. */
export function forcedToolName(choice: ToolChoice | undefined): string | undefined {
  return typeof choice === "object" ? choice.function.name : undefined;
}

/**
 * The tool_choice that still holds after the functions changed: one naming a function that is
 * now off or gone is dropped (unset) rather than sent for a function the request does not define.
 */
export function choiceAfterEdit(
  choice: ToolChoice | undefined,
  tools: readonly ToolDef[],
): ToolChoice | undefined {
  const named = forcedToolName(choice);
  return named && !tools.some((t) => t.enabled && t.name === named) ? undefined : choice;
}
