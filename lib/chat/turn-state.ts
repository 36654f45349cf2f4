import type { UIMessageChunk } from "ai";
import type { ThinkpaneUIMessage, TurnMetadata } from "@/lib/types";

type Part = ThinkpaneUIMessage["parts"][number];
type TextPart = Extract<Part, { type: "text" | "reasoning" }>;

/**
 * The assistant message a stream of UI chunks builds, kept up to date chunk by chunk in place:
 * the same parts and metadata as the AI SDK's readUIMessageStream for the chunks a turn sends
 * (steps, reasoning, text, metadata, errors), without a second stream and without a copy of the
 * message per chunk. The turn is saved from it at checkpoints and at the end.
 */
export function createTurnState() {
  const parts: Part[] = [];
  let metadata: TurnMetadata | undefined;
  let active = new Map<string, TextPart>();

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
