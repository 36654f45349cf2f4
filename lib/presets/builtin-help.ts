/**
 * Why each built-in preset has the values it has (shown under the Preset combobox). Apart from
 * lib/presets/builtins.ts so that the page's first load does not carry the text.
 */
export const BUILT_IN_HELP: Record<string, string> = {
  "builtin-recommended":
    "What gpt-oss recommends: temperature 1.0 and top_p 1.0, with the model's default reasoning effort, medium. Everything else is left to the upstream.",
  "builtin-fast":
    "Reasoning effort low: a short analysis before the answer, so the first answer token comes sooner and costs fewer tokens. Sampling stays at the recommended 1.0; lowering it does not make gpt-oss faster.",
  "builtin-thorough":
    "Reasoning effort high for hard problems. High effort can think for tens of thousands of tokens and max_completion_tokens counts reasoning too, so the budget is 65,536: room to reason and still answer, leaving half of the 131,072-token context for the prompt.",
  "builtin-json":
    "response_format json_object: the answer is one JSON object. JSON mode expects the prompt to ask for JSON, hence the system prompt; for a fixed shape, use a JSON schema instead.",
};
