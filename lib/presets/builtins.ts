import { recommendedParams } from "@/lib/params";
import type { PublicPreset } from "./schema";

/**
 * Read-only presets for gpt-oss, the same for every owner, with values taken from
 * shared/spec/upstream-api.md. Their ids cannot collide with stored ones, which are random.
 */

const MODEL = "openai/gpt-oss-120b";
/** Stamped on every built-in so that the list can show a date like stored presets. */
const SINCE = "2026-12-01T00:00:00.000Z";

export const BUILT_IN_PRESETS: readonly PublicPreset[] = [
  {
    id: "builtin-recommended",
    name: "gpt-oss: recommended",
    version: 1,
    builtIn: true,
    updatedAt: SINCE,
    settings: { model: MODEL, params: recommendedParams() },
    help: "What gpt-oss recommends: temperature 1.0 and top_p 1.0, with the model's default reasoning effort, medium. Everything else is left to the upstream.",
  },
  {
    id: "builtin-fast",
    name: "gpt-oss: fast",
    version: 1,
    builtIn: true,
    updatedAt: SINCE,
    settings: { model: MODEL, params: { ...recommendedParams(), reasoning_effort: "low" } },
    help: "Reasoning effort low: a short analysis before the answer, so the first answer token comes sooner and costs fewer tokens. Sampling stays at the recommended 1.0; lowering it does not make gpt-oss faster.",
  },
  {
    id: "builtin-thorough",
    name: "gpt-oss: thorough",
    version: 1,
    builtIn: true,
    updatedAt: SINCE,
    settings: {
      model: MODEL,
      params: { ...recommendedParams(), reasoning_effort: "high", max_completion_tokens: 65_536 },
    },
    help: "Reasoning effort high for hard problems. High effort can think for tens of thousands of tokens and max_completion_tokens counts reasoning too, so the budget is 65,536: room to reason and still answer, leaving half of the 131,072-token context for the prompt.",
  },
  {
    id: "builtin-json",
    name: "gpt-oss: JSON",
    version: 1,
    builtIn: true,
    updatedAt: SINCE,
    settings: {
      model: MODEL,
      system: "Answer with a single JSON object and nothing else.",
      params: { ...recommendedParams(), response_format: { type: "json_object" } },
    },
    help: "response_format json_object: the answer is one JSON object. JSON mode expects the prompt to ask for JSON, hence the system prompt; for a fixed shape, use a JSON schema instead.",
  },
];

export function builtInPreset(id: string): PublicPreset | undefined {
  return BUILT_IN_PRESETS.find((preset) => preset.id === id);
}
