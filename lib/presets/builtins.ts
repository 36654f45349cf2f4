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
  },
  {
    id: "builtin-fast",
    name: "gpt-oss: fast",
    version: 1,
    builtIn: true,
    updatedAt: SINCE,
    settings: { model: MODEL, params: { ...recommendedParams(), reasoning_effort: "low" } },
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
  },
];

export function builtInPreset(id: string): PublicPreset | undefined {
  return BUILT_IN_PRESETS.find((preset) => preset.id === id);
}

/** A preset by id: a built-in one, or one of the caller's `saved` ones. */
export function findPreset(id: string, saved: readonly PublicPreset[]): PublicPreset | undefined {
  return builtInPreset(id) ?? saved.find((preset) => preset.id === id);
}
