/**
 * A scriptable fake of the upstream OpenAI-compatible API (AI/ML API flavour), on plain node:http.
 *
 * Upstream surface:
 *   POST /v1/chat/completions   SSE stream or JSON, driven by the scenario for the request's key
 *   GET  /v1/models             two gpt-oss models in AI/ML API's item shape
 * Control surface (tests only, JSON in/out):
 *   PUT    /__fake/scenarios/:key   body = Scenario        → 204 (400 when malformed)
 *   DELETE /__fake/scenarios/:key   forget scenario + log  → 204
 *   GET    /__fake/requests/:key    → { requests: RecordedRequest[] } in arrival order
 *   POST   /__fake/releases/:key    releases the next `holdAfter` hold of `key`'s streams → 204
 *
 * The fake does not check the Authorization header (tests script 401s explicitly); it records it.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import {
  DEFAULT_ANSWER,
  DEFAULT_DELAY_MS,
  DEFAULT_KEY,
  DEFAULT_REASONING,
  DEFAULT_STREAM_SCENARIO,
  MODEL_IDS,
  SCENARIO_KEY_PATTERN,
  SCENARIO_TAG_PATTERN,
  aimlapiMessages,
  errorBodies,
  parseScenario,
  splitEvenly,
  type AssistantReasoning,
  type ErrorScenario,
  type ReasoningField,
  type RecordedRequest,
  type Scenario,
  type SequenceStep,
  type StreamScenario,
} from "./scenario";

export type FakeUpstream = {
  /** e.g. `http://127.0.0.1:41234` (control API lives here). */
  origin: string;
  /** `origin + "/v1"`: what the app / OpenAI client uses as base URL. */
  baseURL: string;
  /** Stops listening and destroys every open connection (stalled streams included). */
  close(): Promise<void>;
};

export type StartFakeUpstreamOptions = { port?: number; host?: string };

/** Request bodies can carry base64 PDFs; anything bigger than this is refused with 413. */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

type KeyState = {
  scenario?: Scenario;
  nextStep: number;
  requests: RecordedRequest[];
  /** How many holds the test has released, and the streams waiting for more. */
  released: number;
  waiting: Set<() => void>;
};

/** Per-response bookkeeping: aborts pending delays when the connection goes away. */
type ResponseContext = {
  res: ServerResponse;
  signal: AbortSignal;
  /** Set when the server itself kills the connection (dropAfter, close()): not a client hang-up. */
  serverDestroyed: boolean;
  /** The chat request's record, once there is one (flushed() counts the lines sent into it). */
  record?: RecordedRequest;
  /** Waits until the test released `holds` holds of this request's key; false when it hung up. */
  released?: (holds: number) => Promise<boolean>;
};

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export async function startFakeUpstream(
  options: StartFakeUpstreamOptions = {},
): Promise<FakeUpstream> {
  const host = options.host ?? "127.0.0.1";
  const keys = new Map<string, KeyState>();
  const open = new Set<ResponseContext>();
  let requestCounter = 0;
  let closing = false;

  const stateFor = (key: string): KeyState => {
    let state = keys.get(key);
    if (!state) {
      state = { nextStep: 0, requests: [], released: 0, waiting: new Set() };
      keys.set(key, state);
    }
    return state;
  };

  /** The scenario step this request gets; sequences advance once per request. */
  const takeStep = (key: string): SequenceStep => {
    const state = keys.get(key);
    const scenario = state?.scenario;
    if (!state || !scenario) return DEFAULT_STREAM_SCENARIO;
    if (scenario.type !== "sequence") return scenario;
    const index = Math.min(state.nextStep, scenario.steps.length - 1);
    state.nextStep += 1;
    // Validation guarantees at least one step.
    return scenario.steps[index] ?? DEFAULT_STREAM_SCENARIO;
  };

  const track = (res: ServerResponse): ResponseContext => {
    const controller = new AbortController();
    const ctx: ResponseContext = { res, signal: controller.signal, serverDestroyed: false };
    open.add(ctx);
    res.on("close", () => {
      open.delete(ctx);
      controller.abort();
    });
    return ctx;
  };

  async function handleChat(req: IncomingMessage, res: ServerResponse, ctx: ResponseContext) {
    const raw = await readBody(req);
    if (raw === null) return sendJson(res, 413, errorBodies.aimlapiFlat(413, "Payload Too Large"));

    let body: unknown = raw;
    let parsed = false;
    try {
      body = JSON.parse(raw);
      parsed = true;
    } catch {
      // Keep the raw text in the record; answered with 400 below.
    }

    const key = extractKey(body) ?? DEFAULT_KEY;
    const record: RecordedRequest = {
      id: ++requestCounter,
      key,
      body,
      headers: flattenHeaders(req.headers),
      receivedAt: Date.now(),
      status: null,
      sentLines: 0,
      clientClosed: false,
      completed: false,
      assistantReasoning: assistantReasoningOf(body),
    };
    ctx.record = record;
    const state = stateFor(key);
    state.requests.push(record);
    ctx.released = (holds) =>
      new Promise<boolean>((resolve) => {
        const check = () => {
          if (ctx.signal.aborted || state.released >= holds) {
            state.waiting.delete(check);
            resolve(!ctx.signal.aborted);
          }
        };
        state.waiting.add(check);
        ctx.signal.addEventListener("abort", check, { once: true });
        check();
      });
    res.on("finish", () => {
      record.completed = true;
      record.completedAt = performance.timeOrigin + performance.now();
    });
    res.on("close", () => {
      // `close` also fires after a normal finish; only an unfinished response is a hang-up,
      // and only when we did not destroy the socket ourselves.
      if (!res.writableFinished && !ctx.serverDestroyed && !closing) {
        record.clientClosed = true;
        record.clientClosedAt = Date.now();
      }
    });
    // Wrapped (rather than reading res.statusCode at the end) so the status is visible while a
    // response is still open, e.g. a stalled stream.
    const originalWriteHead = res.writeHead.bind(res);
    res.writeHead = ((...args: Parameters<ServerResponse["writeHead"]>) => {
      record.status = args[0];
      return originalWriteHead(...args);
    }) as ServerResponse["writeHead"];

    // Like AI/ML API: only `model` and `messages` are required; unknown keys are ignored.
    if (
      !parsed ||
      !isObject(body) ||
      typeof body.model !== "string" ||
      body.model === "" ||
      !Array.isArray(body.messages)
    ) {
      return sendJson(res, 400, errorBodies.aimlapiFlat(400, aimlapiMessages[400]));
    }

    const step = takeStep(key);
    if (step.type === "error") return sendError(ctx, step);
    if (body.stream === true) return sendStream(ctx, step, body);
    return sendCompletion(ctx, step, body);
  }

  function handleControl(req: IncomingMessage, res: ServerResponse, resource: string, key: string) {
    if (!SCENARIO_KEY_PATTERN.test(key)) {
      return sendJson(res, 400, { error: `Invalid key "${key}": use [A-Za-z0-9_-]+` });
    }
    if (resource === "scenarios" && req.method === "PUT") {
      return readBody(req).then((raw) => {
        if (raw === null) return sendJson(res, 413, { error: "Scenario too large" });
        let input: unknown;
        try {
          input = JSON.parse(raw);
        } catch {
          return sendJson(res, 400, { error: "Invalid scenario: body is not JSON" });
        }
        const result = parseScenario(input);
        if (!result.ok) return sendJson(res, 400, { error: result.message });
        const state = stateFor(key);
        state.scenario = result.scenario;
        state.nextStep = 0;
        return sendEmpty(res, 204);
      });
    }
    if (resource === "scenarios" && req.method === "DELETE") {
      keys.delete(key);
      return sendEmpty(res, 204);
    }
    if (resource === "releases" && req.method === "POST") {
      const state = stateFor(key);
      state.released += 1;
      for (const check of [...state.waiting]) check();
      return sendEmpty(res, 204);
    }
    if (resource === "requests" && req.method === "GET") {
      return sendJson(res, 200, { requests: keys.get(key)?.requests ?? [] });
    }
    return methodNotAllowed(res);
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const ctx = track(res);
    const { pathname } = new URL(req.url ?? "/", "http://fake.invalid");

    if (pathname === "/v1/chat/completions") {
      return req.method === "POST" ? handleChat(req, res, ctx) : methodNotAllowed(res);
    }
    if (pathname === "/v1/models") {
      return req.method === "GET" ? sendJson(res, 200, modelsList()) : methodNotAllowed(res);
    }
    const control = /^\/__fake\/(scenarios|requests|releases)\/([^/]+)$/.exec(pathname);
    if (control?.[1] && control[2]) {
      return handleControl(req, res, control[1], decodeURIComponent(control[2]));
    }
    return sendJson(res, 404, { error: `Not found: ${req.method} ${pathname}` });
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      // Never crash on bad input: answer 500 if we still can, otherwise just drop the socket.
      if (!res.headersSent)
        sendJson(res, 500, { error: `Fake upstream failure: ${String(error)}` });
      else res.destroy();
    });
  });

  // Providers keep idle connections for a minute or more (nginx: 75 s); Node's 5 s default makes
  // a loaded client reuse a socket the server is closing, a reset no real upstream would cause.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const origin = `http://${originHost(host)}:${port}`;
  let closed: Promise<void> | undefined;

  return {
    origin,
    baseURL: `${origin}/v1`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const ctx of open) ctx.serverDestroyed = true;
        server.close(() => resolve());
        // Kills keep-alive and in-flight (e.g. stalled) connections so close() cannot hang.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Responses

function sendJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
) {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendEmpty(res: ServerResponse, status: number) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status);
  res.end();
}

function methodNotAllowed(res: ServerResponse) {
  return sendJson(res, 405, { error: "Method not allowed" });
}

async function sendError(ctx: ResponseContext, step: ErrorScenario) {
  if (!(await pause(ctx, step.delayMs))) return;
  const { res } = ctx;
  if (res.headersSent || res.destroyed) return;
  const isText = typeof step.body === "string";
  const text = isText ? (step.body as string) : JSON.stringify(step.body);
  res.writeHead(step.status, {
    "content-type": isText ? "text/plain; charset=utf-8" : "application/json",
    "content-length": Buffer.byteLength(text),
    ...step.headers,
  });
  res.end(text);
}

type ChunkPlan = {
  /** JSON data events, in order (role chunk, deltas, finish chunk, optional usage chunk). */
  chunks: JsonObject[];
  /** Index in `chunks` of the event holding the last reasoning delta; -1 without reasoning. */
  lastReasoning: number;
  errorEvent: (error: unknown) => JsonObject;
};

/** A stream step with its defaults applied; shared by streamed and non-streamed answers. */
function resolveStep(step: StreamScenario) {
  const completionId = `chatcmpl-${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
  const calls = step.toolCalls ?? [];
  const toolCalls = calls.map((call, index) => ({
    index,
    // The completion id is random per response, so default ids never repeat across a tool loop.
    id: call.id ?? `call_${completionId.slice(-12)}_${index}`,
    name: call.name,
    arguments: call.arguments,
    pieces: splitEvenly(call.arguments, call.pieces ?? 1),
  }));
  return {
    completionId,
    reasoning: step.reasoning ?? DEFAULT_REASONING,
    // gpt-oss rarely writes a preamble before a call, so a tool-calling step has none by default.
    answer: step.answer ?? (calls.length > 0 ? [] : DEFAULT_ANSWER),
    toolCalls,
    finishReason: step.finishReason ?? (calls.length > 0 ? "tool_calls" : "stop"),
  };
}

type ResolvedStep = ReturnType<typeof resolveStep>;

function planStream(step: StreamScenario, body: JsonObject): ChunkPlan {
  const resolved = resolveStep(step);
  const { reasoning, answer, toolCalls } = resolved;
  const field = step.reasoningField ?? "reasoning_content";
  const base = {
    id: resolved.completionId,
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
  };
  const chunk = (delta: JsonObject, finishReason: string | null = null): JsonObject => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });

  const deltas: JsonObject[] = [];
  const merge = step.combined === true && reasoning.length > 0 && answer.length > 0;
  reasoning.forEach((text, i) => {
    const last = i === reasoning.length - 1;
    if (merge && last) deltas.push({ ...reasoningDelta(field, text), content: answer[0] });
    else deltas.push(reasoningDelta(field, text));
  });
  answer.slice(merge ? 1 : 0).forEach((text) => deltas.push({ content: text }));
  for (const call of toolCalls) {
    call.pieces.forEach((piece, i) => {
      const first = { index: call.index, id: call.id, type: "function" };
      deltas.push({
        tool_calls: [
          i === 0
            ? { ...first, function: { name: call.name, arguments: piece } }
            : { index: call.index, function: { arguments: piece } },
        ],
      });
    });
  }

  const chunks: JsonObject[] = [
    chunk({ role: "assistant", content: null }),
    ...deltas.map((delta) => chunk(delta)),
    chunk({}, resolved.finishReason),
  ];

  const streamOptions = body.stream_options;
  const requested = isObject(streamOptions) && streamOptions.include_usage === true;
  const scripted = isObject(step.usage) || step.meta !== undefined;
  if (step.usage !== false && (requested || scripted)) {
    chunks.push({ ...base, choices: [], ...usageFields(step, body, resolved) });
  }

  return {
    chunks,
    // After the role chunk, one delta per reasoning piece (the last one carries the first answer
    // piece too when combined).
    lastReasoning: reasoning.length > 0 ? reasoning.length : -1,
    errorEvent: (error) => ({
      error,
      ...base,
      choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }],
    }),
  };
}

function reasoningDelta(field: ReasoningField, text: string): JsonObject {
  switch (field) {
    case "reasoning_content":
      return { reasoning_content: text };
    case "reasoning":
      return { reasoning: text };
    case "openrouter":
      return {
        role: "assistant",
        content: "",
        reasoning: text,
        reasoning_details: [{ type: "reasoning.text", text, format: "unknown", index: 0 }],
      };
  }
}

/** `usage` (+ AI/ML API `meta`) for the final chunk or the non-streamed body. */
function usageFields(step: StreamScenario, body: JsonObject, resolved: ResolvedStep): JsonObject {
  const { reasoning, answer, toolCalls } = resolved;
  // Default: one token per scripted piece (argument pieces included), a rough 4-chars-per-token
  // prompt estimate.
  const scripted = isObject(step.usage) ? step.usage : undefined;
  const prompt =
    scripted?.prompt_tokens ?? Math.ceil(JSON.stringify(body.messages ?? []).length / 4);
  const toolPieces = toolCalls.reduce((sum, call) => sum + call.pieces.length, 0);
  const completion = scripted?.completion_tokens ?? reasoning.length + answer.length + toolPieces;
  const reasoningTokens = scripted ? scripted.reasoning_tokens : reasoning.length;
  const usage: JsonObject = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  if (reasoningTokens !== undefined) {
    usage.completion_tokens_details = { reasoning_tokens: reasoningTokens };
  }
  if (!step.meta) return { usage };
  const metaUsage: JsonObject = { usd_spent: step.meta.usd_spent };
  if (step.meta.credits_used !== undefined) metaUsage.credits_used = step.meta.credits_used;
  return { usage, meta: { usage: metaUsage } };
}

async function sendStream(ctx: ResponseContext, step: StreamScenario, body: JsonObject) {
  const { res } = ctx;
  const plan = planStream(step, body);
  if (!(await pause(ctx, step.firstByteDelayMs))) return;
  if (res.destroyed) return;

  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    "x-inference-id": globalThis.crypto.randomUUID(),
    ...step.headers,
  });
  res.flushHeaders();

  const comment = ": OPENROUTER PROCESSING\n\n";
  const last = plan.chunks.length; // triggers at/after this fire just before [DONE]
  const fires = (n: number | undefined, written: number) =>
    n !== undefined && written === Math.min(n, last);

  // Events up to `index` are on the socket: the reasoning's end is, once `index` reaches it.
  const sent = (index: number) => {
    if (ctx.record && plan.lastReasoning >= 0 && index >= plan.lastReasoning)
      ctx.record.reasoningSentAt ??= performance.timeOrigin + performance.now();
  };
  const pace = step.tokensPerSecond === undefined ? undefined : pacer(step.tokensPerSecond, sent);
  let heldSoFar = 0;
  for (let written = 0; written <= plan.chunks.length; written++) {
    // A trigger acts on the wire: what the pacer holds goes out first.
    const triggered = [
      step.dropAfter,
      step.stallAfter,
      step.errorAfter?.chunks,
      step.malformedAfter,
    ].some((n) => fires(n, written));
    const holds = step.holdAfter?.filter((n) => fires(n, written)).length ?? 0;
    if (pace && (triggered || holds > 0) && !(await pace.flush(ctx))) return;
    if (holds > 0) {
      heldSoFar += holds;
      // While held, a keep-alive comment every 500 ms, as providers send while a model thinks:
      // the stream is slow, not stalled.
      const keepAlive = setInterval(() => void flushed(ctx, comment), 500);
      const released = await ctx.released?.(heldSoFar);
      clearInterval(keepAlive);
      if (!released) return;
      // Paced events are due from the start: after a hold, the rest would come at once.
      pace?.restart(written);
    }
    if (fires(step.dropAfter, written)) {
      // Earlier writes were awaited until handed to the socket, so they reach the client.
      ctx.serverDestroyed = true;
      res.destroy();
      return;
    }
    if (fires(step.stallAfter, written)) {
      // Keep the socket open, writing nothing, until the client or close() ends it.
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        else ctx.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      return;
    }
    if (step.errorAfter && fires(step.errorAfter.chunks, written)) {
      await flushed(ctx, `data: ${JSON.stringify(plan.errorEvent(step.errorAfter.error))}\n\n`);
      if (!res.destroyed) res.end();
      return;
    }

    if (fires(step.malformedAfter, written) && !(await flushed(ctx, 'data: {"choices":[{"de\n\n')))
      return;

    const data = written < plan.chunks.length ? JSON.stringify(plan.chunks[written]) : "[DONE]";
    const event = `${step.comments && written % 2 === 0 ? comment : ""}data: ${data}\n\n`;
    if (pace) {
      if (!(await pace.add(ctx, written, event))) return;
      continue;
    }
    if (written > 0 && !(await pause(ctx, step.delayMs ?? DEFAULT_DELAY_MS))) return;
    // OpenRouter sends keep-alive comments before and between events.
    if (step.comments && written % 2 === 0 && !(await flushed(ctx, comment))) return;
    if (!(await flushed(ctx, `data: ${data}\n\n`))) return;
    sent(written);
  }
  if (pace && !(await pace.flush(ctx))) return;
  res.end();
}

async function sendCompletion(ctx: ResponseContext, step: StreamScenario, body: JsonObject) {
  const { res } = ctx;
  if (!(await pause(ctx, step.firstByteDelayMs))) return;
  if (res.destroyed) return;

  const resolved = resolveStep(step);
  const { reasoning, answer, toolCalls } = resolved;
  const headers = { "x-inference-id": globalThis.crypto.randomUUID(), ...step.headers };

  if (step.dropAfter !== undefined) {
    ctx.serverDestroyed = true;
    res.destroy();
    return;
  }
  if (step.stallAfter !== undefined) return; // never answer; close()/hang-up ends it
  if (step.errorAfter) {
    return sendJson(res, 200, planStream(step, body).errorEvent(step.errorAfter.error), headers);
  }

  const content = answer.join("");
  const message: JsonObject = {
    role: "assistant",
    // With tool calls, the content is the preamble, and null without one (as OpenAI sends it).
    content: toolCalls.length > 0 && content === "" ? null : content,
    refusal: null,
  };
  if (toolCalls.length > 0) {
    message.tool_calls = toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  if (reasoning.length > 0) {
    const text = reasoning.join("");
    const fields = reasoningDelta(step.reasoningField ?? "reasoning_content", text);
    delete fields.role;
    delete fields.content;
    Object.assign(message, fields);
  }
  const usage = step.usage === false ? {} : usageFields(step, body, resolved);
  sendJson(
    res,
    200,
    {
      id: resolved.completionId,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message, finish_reason: resolved.finishReason, logprobs: null }],
      ...usage,
    },
    headers,
  );
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * Paces events by elapsed time: event n is due n / rate seconds after the first. Events already
 * due are held and written together when the next one is not due yet, so that a timer's
 * millisecond granularity never caps the rate. `sent` hears the index of the last event of each
 * write once it is on the socket.
 */
function pacer(tokensPerSecond: number, sent: (lastIndex: number) => void) {
  let start = performance.now();
  let held = "";
  let heldTo = -1;
  const flush = async (ctx: ResponseContext) => {
    const text = held;
    const upTo = heldTo;
    held = "";
    if (text === "") return true;
    const ok = await flushed(ctx, text);
    if (ok) sent(upTo);
    return ok;
  };
  return {
    flush,
    async add(ctx: ResponseContext, index: number, event: string): Promise<boolean> {
      const wait = start + (index * 1000) / tokensPerSecond - performance.now();
      if (wait >= 1) {
        if (!(await flush(ctx))) return false;
        if (!(await pause(ctx, Math.floor(wait)))) return false;
      }
      held += event;
      heldTo = index;
      return true;
    },
    /** Paces on from now, as if event `index` were the first (after a hold). */
    restart(index: number) {
      start = performance.now() - (index * 1000) / tokensPerSecond;
    },
  };
}

/** Waits `ms` unless the connection goes away first; resolves false when it did. */
async function pause(ctx: ResponseContext, ms: number | undefined): Promise<boolean> {
  if (ctx.signal.aborted) return false;
  if (!ms) return true;
  try {
    await sleep(ms, undefined, { signal: ctx.signal }); // the abort also clears the timer
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `text` and waits until Node handed it to the socket (so a following destroy() cannot
 * swallow it). Resolves false when the connection is gone.
 */
function flushed(ctx: ResponseContext, text: string): Promise<boolean> {
  const { res, signal } = ctx;
  return new Promise((resolve) => {
    if (signal.aborted || res.destroyed || res.writableEnded) return resolve(false);
    const onAbort = () => resolve(false);
    signal.addEventListener("abort", onAbort, { once: true });
    res.write(text, (error) => {
      signal.removeEventListener("abort", onAbort);
      if (!error && ctx.record) ctx.record.sentLines += countLines(text);
      resolve(!error);
    });
  });
}

function countLines(text: string): number {
  let count = 0;
  for (const line of text.split("\n")) if (line !== "") count += 1;
  return count;
}

/** Reads the whole request body as UTF-8; null when it exceeds MAX_BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (part: Buffer) => {
      size += part.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else parts.push(part);
    });
    req.on("end", () => resolve(tooLarge ? null : Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("request body aborted"));
    });
  });
}

/** Finds `[t:<key>]` in the text of the last user message (string or text parts). */
export function extractKey(body: unknown): string | undefined {
  if (!isObject(body) || !Array.isArray(body.messages)) return undefined;
  const lastUser = body.messages.findLast(
    (message): message is JsonObject => isObject(message) && message.role === "user",
  );
  if (!lastUser) return undefined;
  const { content } = lastUser;
  const text =
    typeof content === "string"
      ? content
      : Array.isArray(content)
        ? content
            .filter((part): part is JsonObject => isObject(part) && part.type === "text")
            .map((part) => (typeof part.text === "string" ? part.text : ""))
            .join("\n")
        : "";
  return SCENARIO_TAG_PATTERN.exec(text)?.[1];
}

/** Reasoning sent back on assistant messages, per field (see `RecordedRequest`). */
export function assistantReasoningOf(body: unknown): AssistantReasoning[] {
  if (!isObject(body) || !Array.isArray(body.messages)) return [];
  const found: AssistantReasoning[] = [];
  body.messages.forEach((message: unknown, index) => {
    if (!isObject(message) || message.role !== "assistant") return;
    for (const field of ["reasoning", "reasoning_content"] as const) {
      const value = message[field];
      if (typeof value === "string" && value !== "") {
        found.push({ index, field, chars: value.length });
      }
    }
    const details = message.reasoning_details;
    if (Array.isArray(details) && details.length > 0) {
      // OpenRouter items: reasoning.text { text }, reasoning.summary { summary }, reasoning.encrypted.
      const chars = details.reduce<number>((sum, item: unknown) => {
        if (!isObject(item)) return sum;
        const text = typeof item.text === "string" ? item.text : item.summary;
        return sum + (typeof text === "string" ? text.length : 0);
      }, 0);
      found.push({ index, field: "reasoning_details", chars });
    }
  });
  return found;
}

function flattenHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

function originHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/** AI/ML API item shape `{ id, aliases[], type, tags[], info{...} }`; values are illustrative. */
function modelsList() {
  return {
    object: "list",
    data: MODEL_IDS.map((id) => {
      const size = id.endsWith("120b") ? "120B" : "20B";
      return {
        id,
        aliases: [id.replace("openai/", "")],
        type: "chat-completion",
        tags: ["reasoning", "open-weights"],
        info: {
          name: `GPT OSS ${size}`,
          developer: "OpenAI",
          description: `gpt-oss-${size.toLowerCase()} (fake upstream)`,
          contextLength: 128000,
          outputMax: 32768,
          url: `https://aimlapi.com/models/gpt-oss-${size.toLowerCase()}`,
        },
      };
    }),
  };
}
