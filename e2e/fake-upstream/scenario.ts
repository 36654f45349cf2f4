/**
 * Scenario model for the fake upstream (see /work/shared/spec/upstream-api.md).
 *
 * A test "scripts" how the fake answers by PUTting a Scenario under a key, then sends a chat
 * request whose LAST user message contains the tag `[t:<key>]` (see `tag()` in ./client). The
 * fake replies to every request carrying that tag according to the scenario. Requests without a
 * tag (or with a tag nobody scripted) get `DEFAULT_STREAM_SCENARIO`.
 *
 * This module has no Node-only imports so that Playwright specs, Vitest tests and the server
 * can all share it.
 */
import { z } from "zod";

/**
 * Where reasoning text goes in a streamed delta (and in a non-streamed message):
 * - `reasoning_content`: AI/ML API docs, llama.cpp, old vLLM.
 * - `reasoning`: Groq, Ollama, LM Studio, new vLLM.
 * - `openrouter`: `reasoning` + `reasoning_details: [{ type: "reasoning.text", text }]` carrying
 *   the SAME text (a client must count it once). Like OpenRouter's captures, these deltas also
 *   carry `role: "assistant"` and `content: ""`.
 */
export type ReasoningField = "reasoning_content" | "reasoning" | "openrouter";

export type ScriptedUsage = {
  prompt_tokens: number;
  completion_tokens: number;
  /** When omitted, the usage object has no `completion_tokens_details` at all. */
  reasoning_tokens?: number;
};

/**
 * One function call the model makes (instruments.md §2). On the wire its first
 * `delta.tool_calls` chunk carries `{ index, id, type: "function", function: { name, arguments } }`
 * with the first piece of `arguments`; each further chunk `{ index, function: { arguments } }`.
 */
export type ScriptedToolCall = {
  /** Default `call_<response-ish>_<index>`, unique per response. */
  id?: string;
  name: string;
  /** Sent verbatim, so a test can script arguments that are not valid JSON. */
  arguments: string;
  /** Split `arguments` over this many nearly-equal deltas. Default 1. */
  pieces?: number;
};

export type StreamScenario = {
  type: "stream";
  /** Reasoning deltas, in order. Default: `DEFAULT_REASONING`. `[]` = no reasoning at all. */
  reasoning?: string[];
  /**
   * Content deltas, in order. Default: `DEFAULT_ANSWER`, or no content when `toolCalls` is
   * non-empty (then the content is the "preamble" shown to the user before the calls).
   */
  answer?: string[];
  /**
   * Function calls after the reasoning and the answer deltas, each call's `index` being its
   * position here. Tool chunks count like other data events for pacing and triggers, and each
   * argument piece as one completion token in a computed usage.
   */
  toolCalls?: ScriptedToolCall[];
  /** Default `"reasoning_content"`. */
  reasoningField?: ReasoningField;
  /** Put the last reasoning piece and the first answer piece in ONE delta (Cerebras style). */
  combined?: boolean;
  /** Interleave SSE comment lines (`: OPENROUTER PROCESSING`) between data events. */
  comments?: boolean;
  /**
   * Final usage chunk (`choices: []`). Omitted: a usage chunk computed from the piece counts is
   * sent only when the request asked for it (`stream_options.include_usage: true`). An object:
   * always sent with these numbers. `false`: never sent.
   */
  usage?: ScriptedUsage | false;
  /** AI/ML API `meta.usage` added to the usage chunk (forces a usage chunk unless `usage: false`). */
  meta?: { usd_spent: number; credits_used?: number };
  /** Default `"tool_calls"` when `toolCalls` is non-empty, otherwise `"stop"`. */
  finishReason?: string;
  /** Delay before every data event but the first. Default `DEFAULT_DELAY_MS`. */
  delayMs?: number;
  /**
   * Pace the stream by elapsed time instead of `delayMs`: event n (the role chunk being #0) is
   * due n / tokensPerSecond seconds after the first, each delta piece counting as one token, and
   * every event already due goes out in one write. Integer per-event delays cannot express rates
   * such as 3,000 tokens/s.
   */
  tokensPerSecond?: number;
  /** Delay before the response headers are sent. */
  firstByteDelayMs?: number;
  // The three triggers below count `data:` events already written, the role chunk being #1 (SSE
  // comments don't count). A count at or beyond the number of JSON chunks fires just before
  // `data: [DONE]`, so a trigger always fires. At most one trigger per scenario.
  // Non-streamed requests: stallAfter never answers, dropAfter destroys the socket without an
  // answer, errorAfter answers HTTP 200 with the error event's JSON as the body (counts ignored).
  /** Stop writing but keep the connection open until the client hangs up or the server closes. */
  stallAfter?: number;
  /** Destroy the socket abruptly (no `[DONE]`, chunked body left incomplete). */
  dropAfter?: number;
  /**
   * Send an OpenRouter-style mid-stream error (HTTP status stays 200), then end the response
   * without `[DONE]`. The event is `data: {"error": <error>, id, object, created, model,
   * choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }]}`; `error` comes
   * first so the raw line starts with `data: {"error":`.
   */
  errorAfter?: { chunks: number; error: unknown };
  /**
   * Send one `data:` event whose JSON is cut off (a broken proxy or provider), then carry on
   * with the rest of the stream. Counts like the triggers above; streamed requests only.
   */
  malformedAfter?: number;
  /**
   * Hold the stream after each of these counts of data events (counted like the triggers) until
   * the test releases it: the n-th hold waits for the n-th `POST /__fake/releases/:key`. For
   * tests that must act while a stream is surely still running, however slow the machine.
   */
  holdAfter?: number[];
  /** Extra response headers, e.g. `x-aimlapi-usd-spent`. They override the defaults. */
  headers?: Record<string, string>;
};

export type ErrorScenario = {
  type: "error";
  status: number;
  /** An object/array/number/… is JSON-encoded; a string is sent raw as text/plain. */
  body: unknown;
  headers?: Record<string, string>;
  /** Delay before the response is sent. */
  delayMs?: number;
};

export type SequenceStep = StreamScenario | ErrorScenario;

/** Each request under the key takes the next step; the last step repeats forever. */
export type SequenceScenario = { type: "sequence"; steps: SequenceStep[] };

export type Scenario = StreamScenario | ErrorScenario | SequenceScenario;

/** What the fake recorded about one `POST /v1/chat/completions`. JSON-serialisable. */
export type RecordedRequest = {
  /** Server-wide arrival counter, starting at 1. */
  id: number;
  /** The scenario key the request was filed under (`"default"` when untagged). */
  key: string;
  /** Parsed JSON body; the raw text when the body was not valid JSON. */
  body: unknown;
  /** All request headers, names lower-cased (repeated headers joined with ", "). */
  headers: Record<string, string>;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
  /** HTTP status sent, or null while headers have not been sent (or never were). */
  status: number | null;
  /**
   * Non-empty SSE lines written to the client (data lines and comments; blank separators not
   * counted), so a test can compare what a client recorded with what was sent.
   */
  sentLines: number;
  /** The client hung up before the server finished the response. */
  clientClosed: boolean;
  /** `Date.now()` when the fake saw that hang-up (to measure how soon a Stop reached it). */
  clientClosedAt?: number;
  /** The server finished the response normally (`res.end()` flushed). */
  completed: boolean;
  /** `performance.timeOrigin + performance.now()` when the response's last byte was flushed. */
  completedAt?: number;
  /**
   * The same clock, when the event holding the last reasoning delta was handed to the socket: where
   * a client's reasoning ends (a display lag is measured from it). Absent without reasoning.
   */
  reasoningSentAt?: number;
  /**
   * Reasoning the client sent back on assistant messages (instruments.md §2), one entry per
   * field present: `index` is the message's position in `body.messages`; `chars` the string's
   * length, or for `reasoning_details` the summed length of its items' `text` (or `summary`).
   * Only non-empty strings and non-empty arrays count. Empty when there is none.
   */
  assistantReasoning: AssistantReasoning[];
};

export type AssistantReasoning = {
  index: number;
  field: "reasoning" | "reasoning_content" | "reasoning_details";
  chars: number;
};

export const DEFAULT_KEY = "default";
/** The first match of this in the text of the last user message selects the scenario key. */
export const SCENARIO_TAG_PATTERN = /\[t:([A-Za-z0-9_-]+)\]/;
export const SCENARIO_KEY_PATTERN = /^[A-Za-z0-9_-]+$/;

export const DEFAULT_REASONING = ["The user", " greets me.", " I should", " answer briefly."];
export const DEFAULT_ANSWER = ["Hello", " from the", " fake upstream."];
/** Small but non-zero so deltas usually reach the client in separate reads. */
export const DEFAULT_DELAY_MS = 2;
export const DEFAULT_STREAM_SCENARIO: StreamScenario = { type: "stream" };

export const MODEL_IDS = ["openai/gpt-oss-120b", "openai/gpt-oss-20b"] as const;

/** `text` cut into `count` pieces whose lengths differ by at most one, the longer ones first. */
export function splitEvenly(text: string, count: number): string[] {
  const n = Math.max(1, Math.floor(count));
  const size = Math.floor(text.length / n);
  const longer = text.length % n;
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const length = size + (i < longer ? 1 : 0);
    out.push(text.slice(at, at + length));
    at += length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Error bodies, exactly in the three shapes the spec lists.

/** Documented AI/ML API messages (the spec abbreviates some of them with "..."). */
export const aimlapiMessages = {
  400: "Body validation error!",
  401: "This request requires a valid API key...",
  403: "You've run out of credits...",
  429: "Too Many Requests",
  503: "Service unavailable",
  504: "Generation timeout",
  tokenBudget: "max_tokens or model output limit was reached",
} as const;

export const errorBodies = {
  /** `{"error":{"message","type","param","code"}}` */
  openai(
    message: string,
    type = "invalid_request_error",
    code: string | null = null,
    param: string | null = null,
  ) {
    return { error: { message, type, param, code } };
  },
  /** AI/ML API's own flat shape; `statusCode` is sometimes a string upstream. */
  aimlapiFlat(statusCode: number | string, message: string, path = "/v1/chat/completions") {
    return {
      message,
      path,
      requestId: globalThis.crypto.randomUUID(),
      statusCode,
      timestamp: new Date().toISOString(),
    };
  },
  /** `{"error":{"code":<number>,"message","metadata"?}}` */
  openrouter(code: number, message: string, metadata?: Record<string, unknown>) {
    return { error: metadata === undefined ? { code, message } : { code, message, metadata } };
  },
};

// ---------------------------------------------------------------------------------------------
// Small builders, so specs read like the behaviour they script.

export const stream = (options: Omit<StreamScenario, "type"> = {}): StreamScenario => ({
  type: "stream",
  ...options,
});

export const httpError = (
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): ErrorScenario =>
  headers === undefined
    ? { type: "error", status, body }
    : { type: "error", status, body, headers };

export const sequence = (...steps: SequenceStep[]): SequenceScenario => ({
  type: "sequence",
  steps,
});

/** A 429 the way AI/ML API sends it, with `Retry-After`. */
export const rateLimited = (retryAfterSeconds = 7): ErrorScenario =>
  httpError(429, errorBodies.aimlapiFlat(429, aimlapiMessages[429]), {
    "retry-after": String(retryAfterSeconds),
  });

// ---------------------------------------------------------------------------------------------
// Validation of scripted scenarios (the control API answers 400 with the message).

const count = z.number().int().nonnegative();
const delay = z.number().int().nonnegative().max(120_000);
const headersSchema = z.record(z.string(), z.string());

const toolCallSchema = z
  .strictObject({
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    arguments: z.string(),
    pieces: z.number().int().positive().max(10_000).optional(),
  })
  .refine(
    (call) => (call.pieces ?? 1) <= Math.max(1, call.arguments.length),
    "toolCalls[].pieces cannot exceed the length of arguments (no empty pieces)",
  );

const streamSchema = z
  .strictObject({
    type: z.literal("stream"),
    reasoning: z.array(z.string()).optional(),
    answer: z.array(z.string()).optional(),
    toolCalls: z.array(toolCallSchema).max(128).optional(),
    reasoningField: z.enum(["reasoning_content", "reasoning", "openrouter"]).optional(),
    combined: z.boolean().optional(),
    comments: z.boolean().optional(),
    usage: z
      .union([
        z.literal(false),
        z.strictObject({
          prompt_tokens: count,
          completion_tokens: count,
          reasoning_tokens: count.optional(),
        }),
      ])
      .optional(),
    meta: z
      .strictObject({
        usd_spent: z.number().nonnegative(),
        credits_used: z.number().nonnegative().optional(),
      })
      .optional(),
    finishReason: z.string().min(1).optional(),
    delayMs: delay.optional(),
    tokensPerSecond: z.number().positive().max(1_000_000).optional(),
    firstByteDelayMs: delay.optional(),
    stallAfter: count.optional(),
    dropAfter: count.optional(),
    malformedAfter: count.optional(),
    errorAfter: z
      .strictObject({
        chunks: count,
        error: z.unknown().refine((value) => value !== undefined, "errorAfter.error is required"),
      })
      .optional(),
    holdAfter: z.array(count).max(20).optional(),
    headers: headersSchema.optional(),
  })
  .refine(
    (s) => [s.stallAfter, s.dropAfter, s.errorAfter].filter((t) => t !== undefined).length <= 1,
    "use at most one of stallAfter, dropAfter, errorAfter",
  );

const errorSchema = z.strictObject({
  type: z.literal("error"),
  status: z.number().int().min(200).max(599),
  body: z.unknown().refine((value) => value !== undefined, "body is required"),
  headers: headersSchema.optional(),
  delayMs: delay.optional(),
});

const stepSchema = z.discriminatedUnion("type", [streamSchema, errorSchema]);

export const scenarioSchema: z.ZodType<Scenario> = z.discriminatedUnion("type", [
  streamSchema,
  errorSchema,
  z.strictObject({ type: z.literal("sequence"), steps: z.array(stepSchema).min(1) }),
]);

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; message: string };

export function parseScenario(input: unknown): ParseResult {
  const result = scenarioSchema.safeParse(input);
  return result.success
    ? { ok: true, scenario: result.data }
    : { ok: false, message: `Invalid scenario: ${z.prettifyError(result.error)}` };
}
