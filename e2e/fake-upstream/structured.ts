/**
 * Structured-output answers in the shapes providers have been seen to send for gpt-oss
 * (shared/spec/instruments.md §3), as ordinary stream scenarios: a test scripts one per key like
 * any other. `value` is the JSON the model meant to give.
 */
import { stream, type StreamScenario } from "./scenario";

/** A text in pieces of about `size` characters, as a model streams it. */
export function pieces(text: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const REASONING = ["The user wants", " JSON that fits", " the schema.", " Fill every field."];

export const structured = {
  /** The JSON as the whole answer, as a provider that enforces the schema sends it. */
  json: (value: unknown): StreamScenario =>
    stream({ reasoning: REASONING, answer: pieces(JSON.stringify(value, null, 2)) }),
  /** Wrapped in a Markdown fence (Ollama while thinking). */
  fenced: (value: unknown): StreamScenario =>
    stream({
      reasoning: REASONING,
      answer: pieces(`\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``),
    }),
  /** In the reasoning channel, with an empty answer (vLLM's open reports). */
  inReasoning: (value: unknown): StreamScenario =>
    stream({
      reasoning: [...REASONING, " Output:\n", ...pieces(JSON.stringify(value))],
      answer: [],
    }),
  /** Cut off halfway by the token budget: `finish_reason: "length"`. */
  cutOff: (value: unknown): StreamScenario => {
    const text = JSON.stringify(value, null, 2);
    return stream({
      reasoning: REASONING,
      answer: pieces(text.slice(0, Math.floor(text.length / 2))),
      finishReason: "length",
    });
  },
  /** Prose instead of JSON. */
  prose: (text: string): StreamScenario => stream({ reasoning: REASONING, answer: pieces(text) }),
};
