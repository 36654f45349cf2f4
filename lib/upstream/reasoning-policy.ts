import type { ThinkpaneUIMessage } from "@/lib/types";

/**
 * gpt-oss guidance: once a turn has ended with a final answer, its reasoning is not sent back
 * upstream; reasoning is kept only inside the current turn (a tool-call loop). Groq even
 * rejects `reasoning_content` on earlier assistant messages.
 *
 * Every assistant message before the last user message belongs to an ended turn: its reasoning
 * parts are dropped, and if nothing is left (a turn stopped while still reasoning) the message
 * is dropped as well, since an empty assistant message is rejected by some servers.
 *
 * An assistant message after the last user message is a tool loop in progress (calls answered,
 * the model to carry on): its reasoning stays, unless `keepToolLoopReasoning` is off (the
 * playground's switch, to compare), and the provider writes it in its own field (provider.ts).
 */
export function applyReasoningPolicy(
  messages: readonly ThinkpaneUIMessage[],
  { keepToolLoopReasoning = true }: { keepToolLoopReasoning?: boolean } = {},
): ThinkpaneUIMessage[] {
  const lastUser = messages.findLastIndex((m) => m.role === "user");
  const out: ThinkpaneUIMessage[] = [];
  messages.forEach((message, index) => {
    if (message.role !== "assistant" || (index > lastUser && keepToolLoopReasoning)) {
      out.push(message);
      return;
    }
    const parts = message.parts.filter((p) => p.type !== "reasoning");
    const hasContent = parts.some(
      (p) =>
        (p.type === "text" && p.text.trim() !== "") ||
        p.type.startsWith("tool-") ||
        p.type === "dynamic-tool",
    );
    if (hasContent) out.push({ ...message, parts });
  });
  return out;
}
