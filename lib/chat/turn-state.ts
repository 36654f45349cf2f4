import type { UIMessageChunk } from "ai";
import type { ThinkpaneUIMessage, TurnMetadata } from "@/lib/types";

type Part = ThinkpaneUIMessage["parts"][number];
type TextPart = Extract<Part, { type: "text" | "reasoning" }>;
/** A function call as it streams: the AI SDK's dynamic tool part, arguments raw until complete. */
type ToolPart = Extract<Part, { type: "dynamic-tool" }> & { rawInput?: string };

/**
 * The assistant message a stream of UI chunks builds, kept up to date chunk by chunk in place:
 * the same parts and metadata as the AI SDK's readUIMessageStream for the chunks a turn sends
 * (steps, reasoning, text, function calls, metadata, errors), without a second stream and without
 * a copy of the message per chunk. The turn is saved from it at checkpoints and at the end.
 *
 * A tool loop continues a message: `initial` is the message so far (its calls answered), and
 * the new step's parts go after it, as the AI SDK's client appends them.
 */
export function createTurnState(
  initial: { parts: readonly Part[]; metadata?: TurnMetadata } = { parts: [] },
) {
  const parts: Part[] = initial.parts.map((part) => ({ ...part }));
  let metadata: TurnMetadata | undefined = initial.metadata && { ...initial.metadata };
  let active = new Map<string, TextPart>();
  const calls = new Map<string, ToolPart>();
  const call = (id: string) =>
    calls.get(id) ??
    (parts.findLast((p) => p.type === "dynamic-tool" && p.toolCallId === id) as
      ToolPart | undefined);

  const merge = (update: unknown) => {
    if (update == null) return;
    metadata = mergeObjects(metadata, update as TurnMetadata);
  };

  return {
    apply(chunk: UIMessageChunk): void {
      switch (chunk.type) {
        case "start-step":
          parts.push({ type: "step-start" });
          return;
        case "finish-step":
          active = new Map();
          return;
        case "text-start":
        case "reasoning-start": {
          const part = {
            type: chunk.type === "text-start" ? "text" : "reasoning",
            ...(chunk.type === "reasoning-start" ? { id: chunk.id } : {}),
            text: "",
            providerMetadata: chunk.providerMetadata,
            state: "streaming",
          } as TextPart;
          active.set(`${part.type}:${chunk.id}`, part);
          parts.push(part);
          return;
        }
        case "text-delta":
        case "reasoning-delta":
        case "text-end":
        case "reasoning-end": {
          const kind = chunk.type.startsWith("text") ? "text" : "reasoning";
          const part = active.get(`${kind}:${chunk.id}`);
          if (!part) return;
          if ("delta" in chunk) part.text += chunk.delta;
          part.providerMetadata = chunk.providerMetadata ?? part.providerMetadata;
          if (chunk.type.endsWith("-end")) {
            part.state = "done";
            active.delete(`${kind}:${chunk.id}`);
          }
          return;
        }
        case "tool-input-start": {
          const part = {
            type: "dynamic-tool",
            toolName: chunk.toolName,
            toolCallId: chunk.toolCallId,
            state: "input-streaming",
            input: undefined,
            rawInput: "",
          } as ToolPart;
          calls.set(chunk.toolCallId, part);
          parts.push(part);
          return;
        }
        case "tool-input-delta": {
          const part = call(chunk.toolCallId);
          if (part) part.rawInput = (part.rawInput ?? "") + chunk.inputTextDelta;
          return;
        }
        case "tool-input-available": {
          const part = call(chunk.toolCallId);
          if (!part) return;
          Object.assign(part, { state: "input-available", input: chunk.input });
          delete part.rawInput;
          return;
        }
        case "tool-input-error":
        case "tool-output-error": {
          // Arguments that are not valid JSON (or name no function): the call ends in an error,
          // with the text the model sent kept as its input.
          const part = call(chunk.toolCallId);
          if (!part) return;
          const input = chunk.type === "tool-input-error" ? chunk.input : part.input;
          Object.assign(part, {
            state: "output-error",
            input: input ?? part.rawInput,
            errorText: chunk.errorText,
          });
          delete part.rawInput;
          return;
        }
        case "start":
        case "finish":
        case "message-metadata":
          merge(chunk.messageMetadata);
          return;
        default:
          return;
      }
    },
    /** A copy of the message as it stands, safe to save while the stream goes on. */
    snapshot(): { parts: ThinkpaneUIMessage["parts"]; metadata: TurnMetadata | undefined } {
      return { parts: parts.map((part) => ({ ...part })), metadata: metadata && { ...metadata } };
    },
  };
}

export type TurnState = ReturnType<typeof createTurnState>;

/** Metadata updates merge deeply, as the AI SDK merges them on the client. */
function mergeObjects<T extends object>(base: T | undefined, overrides: T): T {
  if (base === undefined) return overrides;
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const previous = result[key];
    result[key] =
      isPlainObject(value) && isPlainObject(previous) ? mergeObjects(previous, value) : value;
  }
  return result as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
