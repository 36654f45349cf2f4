/**
 * What each raw SSE line of a turn carries (see ../../shared/spec/upstream-api.md for the
 * shapes): the reasoning under either field name, answer text, tool-call deltas, usage and
 * meta, errors inside the stream, comments and `[DONE]`. Pure, shared by Inspect's tabs.
 */

export type ChunkLabel =
  | "reasoning"
  | "content"
  | "tool call"
  | "usage"
  | "error"
  | "comment"
  | "done"
  | "finish"
  | "role"
  | "empty"
  | "invalid";

export type ToolCallDelta = {
  index: number;
  id?: string;
  name?: string;
  arguments?: string;
};

export type ParsedChunk = {
  labels: ChunkLabel[];
  /** The reasoning text and the field it came in. */
  reasoning?: { text: string; field: "reasoning_content" | "reasoning" };
  content?: string;
  toolCalls?: ToolCallDelta[];
  finishReason?: string;
  usage?: unknown;
  meta?: unknown;
  error?: unknown;
  id?: string;
  model?: string;
  created?: number;
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

function toolCallsOf(delta: Json): ToolCallDelta[] | undefined {
  if (!Array.isArray(delta.tool_calls) || delta.tool_calls.length === 0) return undefined;
  return delta.tool_calls.filter(isObject).map((call, i) => {
    const fn = isObject(call.function) ? call.function : {};
    return {
      index: typeof call.index === "number" ? call.index : i,
      id: text(call.id),
      name: text(fn.name),
      arguments: typeof fn.arguments === "string" ? fn.arguments : undefined,
    };
  });
}

/** Reads one raw line: never throws, whatever the upstream sent. */
export function parseLine(line: string): ParsedChunk {
  if (line.startsWith(":")) return { labels: ["comment"] };
  if (!line.startsWith("data:")) return { labels: ["invalid"] };
  const data = line.slice(line.startsWith("data: ") ? 6 : 5).trim();
  if (data === "[DONE]") return { labels: ["done"] };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { labels: ["invalid"] };
  }
  if (!isObject(value)) return { labels: ["invalid"] };

  const chunk: ParsedChunk = { labels: [] };
  if (typeof value.id === "string") chunk.id = value.id;
  if (typeof value.model === "string") chunk.model = value.model;
  if (typeof value.created === "number") chunk.created = value.created;
  if (value.error !== undefined && value.error !== null) {
    chunk.error = value.error;
    chunk.labels.push("error");
  }
  const choice = Array.isArray(value.choices) && isObject(value.choices[0]) ? value.choices[0] : {};
  const delta = isObject(choice.delta)
    ? choice.delta
    : isObject(choice.message)
      ? choice.message
      : {};
  // OpenRouter sends the same text in `reasoning` and `reasoning_details`: read it once.
  const reasoningContent = text(delta.reasoning_content);
  const reasoning = reasoningContent ?? text(delta.reasoning);
  if (reasoning) {
    chunk.reasoning = {
      text: reasoning,
      field: reasoningContent ? "reasoning_content" : "reasoning",
    };
    chunk.labels.push("reasoning");
  }
  const content = text(delta.content);
  if (content) {
    chunk.content = content;
    chunk.labels.push("content");
  }
  const toolCalls = toolCallsOf(delta);
  if (toolCalls) {
    chunk.toolCalls = toolCalls;
    chunk.labels.push("tool call");
  }
  const finish = text(choice.finish_reason);
  if (finish && !chunk.error) {
    chunk.finishReason = finish;
    chunk.labels.push("finish");
  }
  if (isObject(value.usage)) {
    chunk.usage = value.usage;
    chunk.labels.push("usage");
  }
  if (value.meta !== undefined) chunk.meta = value.meta;
  if (chunk.labels.length === 0) chunk.labels.push(delta.role ? "role" : "empty");
  return chunk;
}
