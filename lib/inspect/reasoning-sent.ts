import type { ExchangeRequest } from "./exchange";

/**
 * Whether a request sent reasoning back on assistant messages, and under which field, read from
 * the body as it went upstream; when none went, why, from the settings recorded with it.
 */
export type ReasoningSent =
  | { sent: true; fields: WireReasoningField[]; messages: number }
  | {
      sent: false;
      /**
       * `none-to-send`: no tool loop in progress (reasoning of ended turns never goes back) or
       * no reasoning in it; `switched-off`: "Send reasoning back in tool loops" was off;
       * `field-none`: the provider's reasoningField is none; `unknown`: nothing recorded says
       * why (an exchange from before tool loops, or a body left out past the size limit).
       */
      reason: "none-to-send" | "switched-off" | "field-none" | "unknown";
    };

const WIRE_FIELDS = ["reasoning", "reasoning_content"] as const;
export type WireReasoningField = (typeof WIRE_FIELDS)[number];

type WireMessage = Record<string, unknown>;

function messagesOf(body: unknown): WireMessage[] | undefined {
  if (!body || typeof body !== "object") return undefined;
  const messages = (body as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) return undefined;
  return messages.filter((m): m is WireMessage => !!m && typeof m === "object");
}

export function reasoningSent(
  request: Pick<ExchangeRequest, "request" | "reasoningBack">,
): ReasoningSent {
  const messages = messagesOf(request.request.body);
  if (!messages) return { sent: false, reason: "unknown" };
  const fields = new Set<WireReasoningField>();
  let count = 0;
  for (const message of messages) {
    if (message.role !== "assistant") continue;
    const carried = WIRE_FIELDS.filter(
      (field) => typeof message[field] === "string" && message[field] !== "",
    );
    carried.forEach((field) => fields.add(field));
    if (carried.length > 0) count += 1;
  }
  if (count > 0)
    return {
      sent: true,
      fields: WIRE_FIELDS.filter((f) => fields.has(f)),
      messages: count,
    };
  // Only an assistant message after the last user message (a tool loop carrying on) may take
  // reasoning back (lib/upstream/reasoning-policy.ts); without one there was none to send.
  const lastUser = messages.findLastIndex((m) => m.role === "user");
  const inLoop = messages.some((m, i) => i > lastUser && m.role === "assistant");
  const settings = request.reasoningBack;
  const reason: Extract<ReasoningSent, { sent: false }>["reason"] = !inLoop
    ? "none-to-send"
    : !settings
      ? "unknown"
      : !settings.inToolLoops
        ? "switched-off"
        : settings.field === "none"
          ? "field-none"
          : "none-to-send";
  return { sent: false, reason };
}

/** The summary line's words after "Reasoning sent back: ", fields apart (they show as code). */
export function describeReasoningSent(summary: ReasoningSent): {
  lead: string;
  fields: WireReasoningField[];
  tail: string;
} {
  if (summary.sent)
    return {
      lead: "yes, in",
      fields: summary.fields,
      tail: `on ${summary.messages} assistant message${summary.messages === 1 ? "" : "s"}`,
    };
  const why = {
    "none-to-send": "none to send",
    "switched-off": "not sent: switched off (Send reasoning back in tool loops)",
    "field-none": "not sent: the provider's reasoningField is none",
    unknown: "no",
  } as const;
  return { lead: why[summary.reason], fields: [], tail: "" };
}

/** The same as one line of text, fields in backticks: "yes, in `reasoning`, on 1 assistant message". */
export function reasoningSentText(summary: ReasoningSent): string {
  const { lead, fields, tail } = describeReasoningSent(summary);
  if (fields.length === 0) return lead;
  return `${lead} ${fields.map((f) => `\`${f}\``).join(" and ")}, ${tail}`;
}
