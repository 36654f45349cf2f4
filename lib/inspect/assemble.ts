import type { ParsedChunk } from "./chunks";
import type { Exchange } from "./exchange";

/**
 * Inspect's Response tab: the streamed turn put back together as the non-streamed response it
 * stands for (`choices[0].message`, `finish_reason`, `usage`, the provider's `meta`), like the
 * response block on the provider's own page; and, for a turn that failed, the error the
 * upstream sent (an HTTP error body, or an error inside the stream).
 */

export type AssembledToolCall = {
  id?: string;
  type: "function";
  function: { name: string; arguments: string };
};

export type AssembledResponse = {
  id?: string;
  object: "chat.completion";
  created?: number;
  model?: string;
  choices: {
    index: 0;
    message: {
      role: "assistant";
      content: string | null;
      reasoning_content?: string;
      reasoning?: string;
      tool_calls?: AssembledToolCall[];
    };
    finish_reason: string | null;
  }[];
  usage?: unknown;
  meta?: unknown;
};

export type UpstreamFailure = {
  /** HTTP status of the failed attempt; absent for an error inside a 200 stream. */
  status?: number;
  /** The body as JSON when it parses, else as text. */
  body: unknown;
};

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function assembleResponse(chunks: readonly ParsedChunk[]): AssembledResponse | undefined {
  if (chunks.length === 0) return undefined;
  let id: string | undefined;
  let model: string | undefined;
  let created: number | undefined;
  let content = "";
  let hasContent = false;
  let reasoning = "";
  let reasoningField: "reasoning_content" | "reasoning" = "reasoning_content";
  const calls = new Map<number, AssembledToolCall>();
  let finishReason: string | null = null;
  let usage: unknown;
  let meta: unknown;
  for (const chunk of chunks) {
    id ??= chunk.id;
    model ??= chunk.model;
    created ??= chunk.created;
    if (chunk.reasoning) {
      if (!reasoning) reasoningField = chunk.reasoning.field;
      reasoning += chunk.reasoning.text;
    }
    if (chunk.content !== undefined) {
      content += chunk.content;
      hasContent = true;
    }
    for (const delta of chunk.toolCalls ?? []) {
      // Arguments arrive whole or in pieces; pieces of one call share its index.
      const call = calls.get(delta.index) ?? {
        type: "function" as const,
        function: { name: "", arguments: "" },
      };
      if (delta.id) call.id = delta.id;
      if (delta.name) call.function.name += delta.name;
      if (delta.arguments) call.function.arguments += delta.arguments;
      calls.set(delta.index, call);
    }
    if (chunk.finishReason) finishReason = chunk.finishReason;
    if (chunk.usage !== undefined) usage = chunk.usage;
    if (chunk.meta !== undefined) meta = chunk.meta;
  }
  const message: AssembledResponse["choices"][number]["message"] = {
    role: "assistant",
    content: hasContent ? content : null,
  };
  if (reasoning) message[reasoningField] = reasoning;
  if (calls.size > 0)
    message.tool_calls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
  return {
    ...(id ? { id } : {}),
    object: "chat.completion",
    ...(created !== undefined ? { created } : {}),
    ...(model ? { model } : {}),
    choices: [{ index: 0, message, finish_reason: finishReason }],
    ...(usage !== undefined ? { usage } : {}),
    ...(meta !== undefined ? { meta } : {}),
  };
}

/**
 * The upstream's own error: an error sent inside the stream, or the body of the last attempt
 * when it failed (earlier attempts that a retry got past are not the turn's failure).
 */
export function upstreamFailure(
  exchange: Pick<Exchange, "attempts">,
  chunks: readonly ParsedChunk[],
): UpstreamFailure | undefined {
  const inStream = chunks.findLast((chunk) => chunk.error !== undefined);
  if (inStream) return { body: { error: inStream.error } };
  const last = exchange.attempts.at(-1);
  if (last?.status !== undefined && last.status >= 300)
    return { status: last.status, body: last.body === undefined ? null : parsed(last.body) };
  return last?.error !== undefined ? { body: last.error } : undefined;
}
