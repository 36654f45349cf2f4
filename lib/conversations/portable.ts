import { z } from "zod";
import { defaultMessageOf, ThinkpaneError } from "@/lib/errors";
import { type Exchange, exchangeSchema } from "@/lib/inspect/exchange";
import { settingsSchema, type Settings } from "@/lib/params";
import { TOOL_NAME_PATTERN } from "@/lib/tools/schema";
import { type ThinkpaneUIMessage, type TurnMetadata, turnMetadataSchema } from "@/lib/types";

/**
 * Conversations outside the database: the JSON export (which import reads back), the Markdown
 * export, and the frozen snapshot behind a share link. Pure functions, no I/O.
 */

export const messageStatuses = ["done", "streaming", "stopped", "error", "interrupted"] as const;
export type PortableStatus = (typeof messageStatuses)[number];

export type PortableMessage = {
  id: string;
  role: "user" | "assistant";
  parts: ThinkpaneUIMessage["parts"];
  metadata?: TurnMetadata;
  status: PortableStatus;
  /** The raw exchange of an assistant turn (JSON export only; never in a snapshot). */
  exchange?: Exchange;
  /** The message this one follows (JSON export only): every version of every turn is kept. */
  parentId?: string | null;
};

export type PortableConversation = {
  title: string;
  createdAt: string;
  settings?: Settings;
  /**
   * The path shown (Markdown, share snapshot), or with `activeLeafId` every message of the tree,
   * oldest first, a parent always before its children (JSON export).
   */
  messages: PortableMessage[];
  /** The last message of the path shown, when `messages` is the whole tree. */
  activeLeafId?: string | null;
};

export const EXPORT_FORMAT = "thinkpane.conversation";

const partState = z.enum(["streaming", "done"]).optional();

/** A call's arguments as the model wrote them, and the result a person typed (as the chat route). */
const MAX_TOOL_INPUT_CHARS = 100_000;
const MAX_TOOL_OUTPUT_CHARS = 100_000;

const MAX_TOOL_JSON_DEPTH = 64;

/**
 * Whether a value is nested at most `MAX_TOOL_JSON_DEPTH` deep and no longer than `max`
 * characters as JSON. The walk is a loop that stops at the first level too deep: a crafted file
 * nested a million deep would overflow the stack of any recursive check (zod's, JSON.stringify).
 */
function fitsJson(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    // Every value is at least one character of JSON.
    if (depth > MAX_TOOL_JSON_DEPTH || ++nodes > max) return false;
    if (typeof node === "object" && node !== null)
      for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return (JSON.stringify(value)?.length ?? Infinity) <= max;
}

/** A JSON value no longer than `max` characters once written out. */
const boundedJson = (max: number) =>
  z
    .unknown()
    .refine((value) => fitsJson(value, max), {
      message: `at most ${max} characters and ${MAX_TOOL_JSON_DEPTH} levels as JSON`,
      abort: true,
    })
    .pipe(z.json());

/**
 * A function call (the AI SDK's `dynamic-tool` part) in the states this app writes: arguments
 * streaming (a stopped turn keeps the raw text), complete and waiting for a result, answered,
 * or failed (arguments that were not JSON). The approval states are refused: nothing here asks
 * for approval, and a turn holding one could not continue.
 */
const toolCall = {
  type: z.literal("dynamic-tool"),
  toolName: z.string().regex(TOOL_NAME_PATTERN),
  toolCallId: z.string().min(1).max(200),
};
const toolPartSchema = z.discriminatedUnion("state", [
  z.object({
    ...toolCall,
    state: z.literal("input-streaming"),
    input: boundedJson(MAX_TOOL_INPUT_CHARS).optional(),
    rawInput: z.string().max(MAX_TOOL_INPUT_CHARS).optional(),
  }),
  z.object({
    ...toolCall,
    state: z.literal("input-available"),
    input: boundedJson(MAX_TOOL_INPUT_CHARS),
  }),
  z.object({
    ...toolCall,
    state: z.literal("output-available"),
    input: boundedJson(MAX_TOOL_INPUT_CHARS),
    output: boundedJson(MAX_TOOL_OUTPUT_CHARS),
  }),
  z.object({
    ...toolCall,
    state: z.literal("output-error"),
    input: boundedJson(MAX_TOOL_INPUT_CHARS),
    errorText: z.string().max(10_000),
  }),
]);

/**
 * Parts keep only the fields this app writes; anything else in a file (provider metadata, which
 * the AI SDK would copy into the upstream request) is dropped, not stored.
 */
const partSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().max(200_000), state: partState }),
  z.object({ type: z.literal("reasoning"), text: z.string().max(500_000), state: partState }),
  z.object({ type: z.literal("step-start") }),
  toolPartSchema,
]);

/**
 * What import accepts: this app's JSON export (parts other than text, reasoning, steps and
 * function calls are refused).
 * Version 1 is a list, one message after the other; version 2 is the tree of versions: each
 * message names its parent (an earlier message of the file, or null) and `activeLeafId` the path
 * shown.
 */
export const importSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.union([z.literal(1), z.literal(2)]),
    title: z.string().trim().min(1).max(200),
    createdAt: z.string().optional(),
    settings: settingsSchema.optional(),
    messages: z
      .array(
        z
          .object({
            id: z.string().optional(),
            role: z.enum(["user", "assistant"]),
            parts: z.array(partSchema).max(500),
            // As a live turn's: a crafted file cannot give the pages a shape they do not expect.
            metadata: turnMetadataSchema.optional(),
            status: z.enum(messageStatuses).optional(),
            exchange: exchangeSchema.optional(),
            parentId: z.string().nullable().optional(),
          })
          .refine((m) => m.exchange === undefined || m.role === "assistant", {
            message: "Only an assistant turn has a raw exchange",
            path: ["exchange"],
          }),
      )
      .max(2000),
    activeLeafId: z.string().nullable().optional(),
  })
  .strict()
  .superRefine((data, ctx) => {
    const seen = new Set<string>();
    for (const [i, m] of data.messages.entries()) {
      if (data.version === 2 && (m.id === undefined || m.parentId === undefined))
        ctx.addIssue({
          code: "custom",
          message: "A version 2 message has an id and a parentId",
          path: ["messages", i, m.id === undefined ? "id" : "parentId"],
        });
      else if (m.parentId != null && !seen.has(m.parentId))
        ctx.addIssue({
          code: "custom",
          message: "A parent comes earlier in the file",
          path: ["messages", i, "parentId"],
        });
      if (m.id !== undefined) {
        if (data.version === 2 && seen.has(m.id))
          ctx.addIssue({
            code: "custom",
            message: "Message ids are unique",
            path: ["messages", i, "id"],
          });
        seen.add(m.id);
      }
    }
    if (data.activeLeafId != null && !seen.has(data.activeLeafId))
      ctx.addIssue({
        code: "custom",
        message: "The active leaf is a message of the file",
        path: ["activeLeafId"],
      });
  });

export type ImportedConversation = z.infer<typeof importSchema>;

/** Version 2 (the tree) when the conversation carries it, else version 1 (a list). */
export function toJsonExport(conversation: PortableConversation) {
  const version = conversation.activeLeafId !== undefined ? 2 : 1;
  return { format: EXPORT_FORMAT, version, ...conversation };
}

type Part = ThinkpaneUIMessage["parts"][number];
type CallPart = Extract<Part, { type: "dynamic-tool" }>;

function joinText(parts: readonly Part[], type: "text" | "reasoning"): string {
  return parts.map((p) => (p.type === type ? p.text : "")).join("");
}

/** The parts before each call, with the call; the last stretch (the final answer) has none. */
function splitAtCalls(parts: readonly Part[]): { parts: Part[]; call?: CallPart }[] {
  const stretches: { parts: Part[]; call?: CallPart }[] = [];
  let current: Part[] = [];
  for (const part of parts) {
    if (part.type !== "dynamic-tool") {
      current.push(part);
      continue;
    }
    stretches.push({ parts: current, call: part });
    current = [];
  }
  stretches.push({ parts: current });
  return stretches;
}

/** A fenced block that `text` cannot close: the fence is longer than any run of backticks in it. */
export function fenced(text: string, language = ""): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

/** A result as typed (a string) shown as pretty JSON when it is JSON, else as it is. */
function resultBlock(output: unknown): string {
  if (typeof output !== "string") return fenced(JSON.stringify(output, null, 2) ?? "", "json");
  try {
    return fenced(JSON.stringify(JSON.parse(output), null, 2), "json");
  } catch {
    return fenced(output, "text");
  }
}

function callMarkdown(call: CallPart): string[] {
  const out = [`**Call to \`${call.toolName}\`**`, ""];
  const input = call.input === undefined ? (call as { rawInput?: string }).rawInput : call.input;
  // Arguments that were not JSON are kept as the text the model sent.
  if (typeof input === "string") out.push(fenced(input, "text"), "");
  else if (input !== undefined) out.push(fenced(JSON.stringify(input, null, 2), "json"), "");
  if (call.state === "output-available")
    out.push(`**Result for \`${call.toolName}\`**`, "", resultBlock(call.output), "");
  else if (call.state === "output-error")
    out.push(`**The call failed:** ${call.errorText.replace(/\s+/g, " ")}`, "");
  else out.push("_No result._", "");
  return out;
}

function quote(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n");
}

export function toMarkdown(conversation: PortableConversation): string {
  const out: string[] = [`# ${conversation.title}`, ""];
  if (conversation.settings) {
    const { model, system, params } = conversation.settings;
    out.push(`Model: \`${model}\``);
    const set = Object.entries(params ?? {}).map(([k, v]) => `\`${k}\`=${JSON.stringify(v)}`);
    if (set.length > 0) out.push(`Parameters: ${set.join(", ")}`);
    if (system?.trim()) out.push("", "System prompt:", "", quote(system));
    out.push("");
  }
  for (const message of conversation.messages) {
    if (message.role === "user") {
      out.push("## You", "", joinText(message.parts, "text"), "");
      continue;
    }
    out.push(`## ${message.metadata?.model ?? "Assistant"}`, "");
    // In order: the reasoning and text before each function call (a preamble), the call and its
    // result, and after the last call the final answer. A turn without calls is one stretch.
    for (const { parts, call } of splitAtCalls(message.parts)) {
      const reasoning = joinText(parts, "reasoning");
      if (reasoning) out.push("**Reasoning** (raw model reasoning)", "", quote(reasoning), "");
      const text = joinText(parts, "text");
      if (call) {
        if (text) out.push(text, "");
        out.push(...callMarkdown(call));
      } else out.push(text || "_No answer._", "");
    }
    const verdict = message.metadata?.schemaCheck;
    if (verdict) {
      out.push(`**Schema check:** ${verdict.message}`, "");
      for (const e of verdict.errors) out.push(`- \`${e.path}\` ${e.message}`);
      if (verdict.errors.length > 0) out.push("");
    }
    if (message.status !== "done") out.push(`_Turn ${message.status}._`, "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

export const shareExpiries = {
  never: { label: "Never", ms: undefined },
  "1d": { label: "1 day", ms: 24 * 60 * 60 * 1000 },
  "7d": { label: "7 days", ms: 7 * 24 * 60 * 60 * 1000 },
  "30d": { label: "30 days", ms: 30 * 24 * 60 * 60 * 1000 },
} as const;
export type ShareExpiry = keyof typeof shareExpiries;

export const shareOptionsSchema = z
  .object({
    includeReasoning: z.boolean().default(true),
    /** The model and its parameters (and the preset's name on each turn). */
    includeSettings: z.boolean().default(true),
    /** The system prompt, which may hold what its owner would not publish: off unless ticked. */
    includeSystemPrompt: z.boolean().default(false),
    /** The turns' raw exchanges (request bodies, headers, every chunk): off unless ticked. */
    includeExchange: z.boolean().default(false),
    expiresIn: z
      .enum(Object.keys(shareExpiries) as [ShareExpiry, ...ShareExpiry[]])
      .default("never"),
  })
  .strict()
  .refine((o) => o.includeSettings || !o.includeSystemPrompt, {
    message: "The system prompt is shared with the settings only",
    path: ["includeSystemPrompt"],
  });

export type ShareOptions = z.infer<typeof shareOptionsSchema>;

/**
 * A failed turn's error as anyone may read it: its code and the message every owner sees for
 * it, without what was meant for the server's operator (which variable to set, the upstream's
 * own words).
 */
function publicError(error: unknown): { code: ThinkpaneError["code"]; message: string } {
  const { code } = ThinkpaneError.fromUnknown(error);
  return { code, message: defaultMessageOf(code) };
}

/** A turn's metadata as a share holds it. */
function snapshotMetadata(
  metadata: TurnMetadata,
  includeSettings: boolean,
  includeReasoning: boolean,
): TurnMetadata {
  const { error, schemaCheck, ...rest } = metadata;
  return {
    ...rest,
    // JSON found in the reasoning is the reasoning's text: it goes where the reasoning goes.
    ...(schemaCheck
      ? {
          schemaCheck:
            schemaCheck.kind === "in_reasoning" && !includeReasoning
              ? { ...schemaCheck, parsed: undefined }
              : schemaCheck,
        }
      : {}),
    // The preset's name is part of the settings a share may leave out.
    ...(includeSettings ? {} : { model: undefined, preset: undefined }),
    ...(error ? { error: publicError(error) } : {}),
  };
}

/**
 * The frozen copy a share link shows: reasoning, settings and the system prompt only when
 * chosen, failed turns without operator hints, nothing about the owner.
 */
export function toSnapshot(
  conversation: PortableConversation,
  options: Omit<ShareOptions, "includeExchange" | "includeSystemPrompt"> & {
    includeExchange?: boolean;
    includeSystemPrompt?: boolean;
  },
): PortableConversation {
  const settings = conversation.settings;
  return {
    title: conversation.title,
    createdAt: conversation.createdAt,
    ...(options.includeSettings && settings
      ? {
          settings: {
            model: settings.model,
            params: settings.params,
            ...(options.includeSystemPrompt && settings.system !== undefined
              ? { system: settings.system }
              : {}),
          },
        }
      : {}),
    messages: conversation.messages.map((m) => ({
      id: m.id,
      role: m.role,
      parts: options.includeReasoning ? m.parts : m.parts.filter((p) => p.type !== "reasoning"),
      ...(m.metadata
        ? {
            metadata: snapshotMetadata(
              m.metadata,
              options.includeSettings,
              options.includeReasoning,
            ),
          }
        : {}),
      status: m.status,
    })),
  };
}

export function expiryDate(expiresIn: ShareExpiry, now = Date.now()): Date | undefined {
  const ms = shareExpiries[expiresIn].ms;
  return ms === undefined ? undefined : new Date(now + ms);
}
