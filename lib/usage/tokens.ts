import { estimateTokens } from "@/lib/format";
import type { ThinkpaneUIMessage } from "@/lib/types";

export type TurnTokens = {
  promptTokens: number;
  /** Everything generated, reasoning included. */
  completionTokens: number;
  reasoningTokens: number;
  /** True when the upstream reported no usage and these are estimates from the text. */
  estimated: boolean;
};

/**
 * What a finished turn spent. The upstream's own counts when it sent them (a turn that ran to
 * its end); otherwise (stopped, failed mid-stream, connection lost) an estimate from the text
 * generated so far and the prompt, so that a budget cannot be dodged by pressing Stop.
 */
export function turnTokens(
  message: Pick<ThinkpaneUIMessage, "parts" | "metadata"> | undefined,
  promptEstimate: number,
): TurnTokens {
  const usage = message?.metadata?.usage;
  if (usage && (usage.totalTokens !== undefined || usage.promptTokens !== undefined)) {
    const prompt = usage.promptTokens ?? 0;
    const reasoning = usage.reasoningTokens ?? 0;
    const completion =
      usage.totalTokens !== undefined
        ? Math.max(0, usage.totalTokens - prompt)
        : reasoning + (usage.answerTokens ?? 0);
    return {
      promptTokens: prompt,
      completionTokens: completion,
      reasoningTokens: Math.min(reasoning, completion),
      estimated: false,
    };
  }
  let reasoningText = "";
  let answerText = "";
  for (const part of message?.parts ?? []) {
    if (part.type === "reasoning") reasoningText += part.text;
    else if (part.type === "text") answerText += part.text;
  }
  const reasoning = reasoningText ? estimateTokens(reasoningText) : 0;
  const answer = answerText ? estimateTokens(answerText) : 0;
  return {
    // Nothing generated: the upstream most likely refused before reading the prompt.
    promptTokens: reasoning + answer > 0 ? promptEstimate : 0,
    completionTokens: reasoning + answer,
    reasoningTokens: reasoning,
    estimated: true,
  };
}

/** A rough prompt size for estimates: the text of the history sent upstream. */
export function estimatePrompt(
  history: readonly Pick<ThinkpaneUIMessage, "parts">[],
  system?: string,
): number {
  let chars = system?.length ?? 0;
  for (const message of history)
    for (const part of message.parts) if (part.type === "text") chars += part.text.length;
  return Math.ceil(chars / 4);
}
