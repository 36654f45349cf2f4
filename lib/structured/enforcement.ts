import type { StructuredOutputs } from "@/lib/types";

/**
 * What a provider's `structuredOutputs` setting (THINKPANE_PROVIDERS) means for a reader, shown
 * beside the response format control. Whatever it says, every JSON answer is checked here.
 */
export function enforcementNote(provider: string, setting: StructuredOutputs = "best-effort") {
  switch (setting) {
    case "strict":
      return `${provider} enforces the schema (strict): the answer should always fit. It is still checked here.`;
    case "none":
      return `${provider} does not enforce schemas: the model only reads the schema in its prompt. Each answer is checked here.`;
    default:
      return `${provider} enforces schemas on a best-effort basis: an answer may not fit. Each answer is checked here.`;
  }
}

export const enforcementLabels: Record<StructuredOutputs, string> = {
  strict: "Enforced (strict)",
  "best-effort": "Best effort",
  none: "Not enforced",
};
