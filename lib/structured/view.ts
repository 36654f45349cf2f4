import type { SchemaVerdict } from "./check";

/** Longest parsed JSON shown under an answer; the answer itself holds the rest. */
const MAX_VIEW_CHARS = 20_000;

/** A verdict's parsed value, pretty-printed for the JSON view; undefined when there is none. */
export function parsedView(verdict: SchemaVerdict): string | undefined {
  if (verdict.parsed === undefined) return undefined;
  const text = JSON.stringify(verdict.parsed, null, 2);
  return text.length > MAX_VIEW_CHARS ? `${text.slice(0, MAX_VIEW_CHARS)}\n…` : text;
}

/** The JSON view's heading: where the value was found when it was not the answer itself. */
export function parsedViewLabel(verdict: SchemaVerdict): string {
  if (verdict.kind === "fenced") return "Parsed JSON (from inside the fence)";
  if (verdict.kind === "in_reasoning") return "Parsed JSON (found in the reasoning)";
  return "Parsed JSON";
}
