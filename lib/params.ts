import { z } from "zod";
import { type ToolChoice, type ToolDef, toolChoiceSchema, toolsSchema } from "./tools/schema";

/**
 * Every request parameter of the upstream (see shared/spec/upstream-api.md), described once.
 * The parameter panel renders from these descriptors, the chat route validates with the schema
 * derived from them, and the request builder maps them onto the wire. Adding a parameter is
 * adding one entry here.
 *
 * Settings keep parameters under their wire names. A parameter that is absent is "unset": it is
 * not sent, and the upstream's default applies.
 */

export type ParamGroup = "reasoning" | "sampling" | "penalties" | "output" | "tools" | "advanced";

export const paramGroups: { id: ParamGroup; label: string }[] = [
  { id: "reasoning", label: "Reasoning" },
  { id: "sampling", label: "Sampling" },
  { id: "penalties", label: "Penalties" },
  { id: "output", label: "Output" },
  { id: "tools", label: "Tools" },
  { id: "advanced", label: "Advanced" },
];

type Base = {
  label: string;
  help: string;
  group: ParamGroup;
  /**
   * How the value reaches the upstream: in the body as it is (default); through the AI SDK's
   * own call options (`call`: tools and tool_choice, which the provider writes into the body
   * itself); or not at all (`none`: a setting of how this app builds the request).
   */
  wire?: "call" | "none";
};

export type NumberParam = Base & {
  kind: "number" | "integer";
  /** Hard bounds, enforced by validation. */
  min?: number;
  max?: number;
  /** Exclusive lower bound, where the spec has one. */
  gt?: number;
  /** Bounds of the slider when the spec gives no range. */
  sliderMin: number;
  sliderMax: number;
  step: number;
  /** The value gpt-oss recommends; "Reset" sets it. */
  recommended?: number;
};

export type EnumParam = Base & {
  kind: "enum";
  options: readonly { value: string; label: string }[];
  recommended?: string;
};

export type TextParam = Base & {
  kind: "text";
  placeholder: string;
  maxLength: number;
  pattern?: { regex: RegExp; message: string };
};

export type JsonParam = Base & { kind: "json"; placeholder: string };

export type ResponseFormatParam = Base & { kind: "response_format" };

export type BooleanParam = Base & { kind: "boolean" };

export type ToolsParam = Base & { kind: "tools" };

export type ToolChoiceParam = Base & { kind: "tool_choice" };

export type ParamDescriptor =
  | NumberParam
  | EnumParam
  | TextParam
  | JsonParam
  | ResponseFormatParam
  | BooleanParam
  | ToolsParam
  | ToolChoiceParam;

const jsonSchemaNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }).strict(),
  z.object({ type: z.literal("json_object") }).strict(),
  z
    .object({
      type: z.literal("json_schema"),
      json_schema: z
        .object({
          name: z.string().regex(jsonSchemaNamePattern, "use 1-64 letters, digits, _ or -"),
          schema: z.record(z.string(), z.unknown()),
          strict: z.boolean().optional(),
          description: z.string().max(2000).optional(),
        })
        .strict(),
    })
    .strict(),
]);

export type ResponseFormat = z.infer<typeof responseFormatSchema>;

export const logitBiasSchema = z
  .record(z.string().regex(/^\d+$/, "keys must be token ids"), z.number().min(-100).max(100))
  .refine((v) => Object.keys(v).length <= 300, "at most 300 entries");

export const params = {
  reasoning_effort: {
    kind: "enum",
    label: "Reasoning effort",
    help: "How long the model thinks before answering. gpt-oss defaults to medium.",
    group: "reasoning",
    options: [
      { value: "low", label: "Low" },
      { value: "medium", label: "Medium" },
      { value: "high", label: "High" },
    ],
    recommended: "medium",
  },
  temperature: {
    kind: "number",
    label: "Temperature",
    help: "Randomness of sampling. gpt-oss recommends 1.0.",
    group: "sampling",
    min: 0,
    max: 2,
    sliderMin: 0,
    sliderMax: 2,
    step: 0.01,
    recommended: 1,
  },
  top_p: {
    kind: "number",
    label: "Top P",
    help: "Nucleus sampling: sample from the smallest set of tokens whose probability adds up to P. gpt-oss recommends 1.0.",
    group: "sampling",
    min: 0.01,
    max: 1,
    sliderMin: 0.01,
    sliderMax: 1,
    step: 0.01,
    recommended: 1,
  },
  top_k: {
    kind: "number",
    label: "Top K",
    help: "Sample only from the K most likely tokens.",
    group: "sampling",
    sliderMin: 0,
    sliderMax: 200,
    step: 1,
  },
  min_p: {
    kind: "number",
    label: "Min P",
    help: "Drop tokens less likely than this fraction of the most likely token.",
    group: "sampling",
    min: 0.001,
    max: 0.999,
    sliderMin: 0.001,
    sliderMax: 0.999,
    step: 0.001,
  },
  top_a: {
    kind: "number",
    label: "Top A",
    help: "Drop tokens whose probability is below A times the square of the top probability.",
    group: "sampling",
    min: 0,
    max: 1,
    sliderMin: 0,
    sliderMax: 1,
    step: 0.01,
  },
  repetition_penalty: {
    kind: "number",
    label: "Repetition penalty",
    help: "Values above 1 discourage repeating tokens already in the text.",
    group: "penalties",
    sliderMin: 0,
    sliderMax: 2,
    step: 0.01,
  },
  frequency_penalty: {
    kind: "number",
    label: "Frequency penalty",
    help: "Penalise tokens by how often they already appeared.",
    group: "penalties",
    min: -2,
    max: 2,
    sliderMin: -2,
    sliderMax: 2,
    step: 0.01,
  },
  presence_penalty: {
    kind: "number",
    label: "Presence penalty",
    help: "Penalise tokens that already appeared at all.",
    group: "penalties",
    min: -2,
    max: 2,
    sliderMin: -2,
    sliderMax: 2,
    step: 0.01,
  },
  max_completion_tokens: {
    kind: "integer",
    label: "Max completion tokens",
    help: "Upper bound on generated tokens, reasoning included. Too small a budget can end the turn before any answer.",
    group: "output",
    min: 1,
    sliderMin: 1,
    sliderMax: 131_072,
    step: 1,
  },
  seed: {
    kind: "integer",
    label: "Seed",
    help: "Best-effort determinism: the same seed and parameters tend to give the same output.",
    group: "output",
    min: 1,
    sliderMin: 1,
    sliderMax: 1_000_000,
    step: 1,
  },
  response_format: {
    kind: "response_format",
    label: "Response format",
    help: "Plain text, any JSON object, or JSON that follows a schema (structured output).",
    group: "output",
  },
  tools: {
    kind: "tools",
    label: "Functions",
    help: "Functions the model may call. You answer each call (or a saved mock does), and the model carries on.",
    group: "tools",
    wire: "call",
  },
  tool_choice: {
    kind: "tool_choice",
    label: "Tool choice",
    help: "auto: the model decides; none: no calls; required: at least one call; or one function by name.",
    group: "tools",
    wire: "call",
  },
  parallel_tool_calls: {
    kind: "boolean",
    label: "Parallel tool calls",
    help: "Whether the model may call several functions in one turn.",
    group: "tools",
  },
  reasoning_in_tool_loops: {
    kind: "boolean",
    label: "Send reasoning back in tool loops",
    help: "gpt-oss guidance: within a tool loop, the reasoning since the last answer goes back with the call, in the provider's field. Off: never sent.",
    group: "tools",
    wire: "none",
  },
  logit_bias: {
    kind: "json",
    label: "Logit bias",
    help: 'JSON object from token id to a bias between -100 and 100, e.g. {"1234": -100}.',
    group: "advanced",
    placeholder: '{"1234": -100}',
  },
  provider: {
    kind: "text",
    label: "Provider routing",
    help: "AI/ML API only: route to a specific backend (openai, openrouter, togetherai, ...).",
    group: "advanced",
    placeholder: "e.g. openrouter",
    maxLength: 64,
    // A backend's name, never a URL or a host: the value travels to the upstream as it is.
    pattern: {
      regex: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
      message: "use a provider name: letters, digits, _ or -",
    },
  },
} as const satisfies Record<string, ParamDescriptor>;

export type ParamKey = keyof typeof params;
export const paramKeys = Object.keys(params) as ParamKey[];

function numberSchema(d: NumberParam): z.ZodType<number> {
  let s = d.kind === "integer" ? z.number().int() : z.number();
  if (d.min !== undefined) s = s.min(d.min);
  if (d.max !== undefined) s = s.max(d.max);
  if (d.gt !== undefined) s = s.gt(d.gt);
  return s;
}

function schemaFor(d: ParamDescriptor): z.ZodType {
  switch (d.kind) {
    case "number":
    case "integer":
      return numberSchema(d);
    case "enum":
      return z.enum(d.options.map((o) => o.value) as [string, ...string[]]);
    case "text": {
      const text = z.string().trim().min(1).max(d.maxLength);
      return d.pattern ? text.regex(d.pattern.regex, d.pattern.message) : text;
    }
    case "json":
      return logitBiasSchema;
    case "response_format":
      return responseFormatSchema;
    case "boolean":
      return z.boolean();
    case "tools":
      return toolsSchema;
    case "tool_choice":
      return toolChoiceSchema;
  }
}

/**
 * Validation for the parameters part of a request: every key optional, unknown keys rejected,
 * and a tool_choice that names a function names one that is defined and on.
 */
export const paramsSchema = z
  .object(
    Object.fromEntries(paramKeys.map((key) => [key, schemaFor(params[key]).optional()])) as {
      [K in ParamKey]: z.ZodOptional<z.ZodType<ParamValue<K>>>;
    },
  )
  .strict()
  .superRefine((values, ctx) => {
    const choice = values.tool_choice;
    if (typeof choice !== "object") return;
    const name = choice.function.name;
    if (!values.tools?.some((tool) => tool.enabled && tool.name === name))
      ctx.addIssue({
        code: "custom",
        message: `no function named "${name}" is defined and on`,
        path: ["tool_choice"],
      });
  });

export type ParamValue<K extends ParamKey> = (typeof params)[K] extends NumberParam
  ? number
  : (typeof params)[K] extends EnumParam
    ? (typeof params)[K]["options"][number]["value"]
    : (typeof params)[K] extends BooleanParam
      ? boolean
      : K extends "response_format"
        ? ResponseFormat
        : K extends "logit_bias"
          ? Record<string, number>
          : K extends "tools"
            ? ToolDef[]
            : K extends "tool_choice"
              ? ToolChoice
              : string;

export type ParamValues = { [K in ParamKey]?: ParamValue<K> };

export const SYSTEM_PROMPT_MAX = 100_000;

/** The settings a browser sends with each request. The model is an id from the registry, never a URL. */
export const settingsSchema = z
  .object({
    model: z.string().min(1).max(200),
    system: z.string().max(SYSTEM_PROMPT_MAX).optional(),
    params: paramsSchema.default({}),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

/** gpt-oss's recommended starting point: temperature 1, top_p 1, effort medium. */
export function recommendedParams(): ParamValues {
  const out: Record<string, unknown> = {};
  for (const key of paramKeys) {
    const d: ParamDescriptor = params[key];
    if ("recommended" in d && d.recommended !== undefined) out[key] = d.recommended;
  }
  return out as ParamValues;
}

/**
 * The request body fields for a set of parameters, under their wire names. Unset parameters
 * are absent. One of max_completion_tokens / max_tokens is sent, never both: we send the former.
 */
export function toWireParams(values: ParamValues): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const key of paramKeys) {
    const value = values[key];
    const d: ParamDescriptor = params[key];
    if (value === undefined || d.wire !== undefined) continue;
    wire[key] = value;
  }
  return wire;
}

/** Keys the user has set (for the panel's "N set" and the usage line). */
export function setParamKeys(values: ParamValues): ParamKey[] {
  return paramKeys.filter((key) => values[key] !== undefined);
}
