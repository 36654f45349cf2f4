import { ThinkpaneError } from "@/lib/errors";
import type { ThinkpaneUIMessage } from "@/lib/types";

type Part = ThinkpaneUIMessage["parts"][number];
export type CallPart = Extract<Part, { type: "dynamic-tool" }>;

/** Rounds of calls one answer may go through; the browser's auto-submit stops far earlier. */
export const MAX_TOOL_ROUNDS = 32;

export function isCall(part: Part): part is CallPart {
  return part.type === "dynamic-tool";
}

/** Calls that wait for a result: complete arguments, no output yet. */
export function pendingCalls(parts: readonly Part[]): CallPart[] {
  return parts.filter(isCall).filter((part) => part.state === "input-available");
}

/** The parts of the answer's last round: since its last step start (all of them without one). */
export function lastRound(parts: readonly Part[]): Part[] {
  return parts.slice(
    Math.max(
      0,
      parts.findLastIndex((p) => p.type === "step-start"),
    ),
  );
}

/**
 * Whether the last round's calls all failed (arguments that were not JSON) and none waits: the
 * round carries on with no results, the errors going back as the calls' results.
 */
export function roundFailed(parts: readonly Part[]): boolean {
  return (
    pendingCalls(parts).length === 0 &&
    lastRound(parts).some((p) => isCall(p) && p.state === "output-error")
  );
}

/**
 * The answer's parts with each waiting call given its result (kept as the text typed: that text
 * is what the tool message carries upstream). Every waiting call needs one, and a result must
 * answer a waiting call. A round whose calls all failed (arguments that were not JSON) carries
 * on with no results: the errors go back as the calls' results.
 */
export function withToolResults(
  parts: readonly Part[],
  results: readonly { toolCallId: string; output: string }[],
): Part[] {
  const pending = pendingCalls(parts);
  if (pending.length === 0 && !roundFailed(parts))
    throw invalid("This answer has no function calls waiting for a result.", "messageId");
  if (parts.filter((p) => p.type === "step-start").length >= MAX_TOOL_ROUNDS)
    throw invalid(
      `This answer already went through ${MAX_TOOL_ROUNDS} rounds of function calls; ask again to go on.`,
      "messageId",
    );
  const byId = new Map(results.map((result) => [result.toolCallId, result.output]));
  results.forEach((result, index) => {
    if (!pending.some((call) => call.toolCallId === result.toolCallId))
      throw invalid(
        "That result answers no function call waiting in this answer.",
        `results[${index}].toolCallId`,
      );
  });
  const missing = pending.find((call) => !byId.has(call.toolCallId));
  if (missing) throw invalid(`The call to ${missing.toolName} has no result.`, "results");
  return parts.map((part) => {
    if (!isCall(part) || part.state !== "input-available") return part;
    return {
      ...part,
      state: "output-available",
      output: byId.get(part.toolCallId),
    } as CallPart;
  });
}

function invalid(message: string, field: string): ThinkpaneError {
  return new ThinkpaneError("bad_request:invalid_body", { message, details: { field } });
}

/** The results the browser sends for an answer: its last round's answered calls, as text. */
export function lastRoundResults(parts: readonly Part[]): { toolCallId: string; output: string }[] {
  return lastRound(parts)
    .filter(isCall)
    .filter((call) => call.state === "output-available")
    .map((call) => ({
      toolCallId: call.toolCallId,
      output: typeof call.output === "string" ? call.output : JSON.stringify(call.output),
    }));
}
