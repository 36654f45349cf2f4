import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeUpstreamControl, tag, uniqueKey } from "@/e2e/fake-upstream/client";
import {
  DEFAULT_ANSWER,
  DEFAULT_REASONING,
  errorBodies,
  httpError,
  rateLimited,
  sequence,
  stream,
  type RecordedRequest,
} from "@/e2e/fake-upstream/scenario";
import { startFakeUpstream, type FakeUpstream } from "@/e2e/fake-upstream/server";
import { ensureOwner, readOwner } from "@/lib/auth/owner";
import { closeDb, getDb } from "@/lib/db/client";
import { createConversation, getConversation } from "@/lib/db/conversations";
import { conversations } from "@/lib/db/schema";
import { ThinkpaneError, type ErrorPayload } from "@/lib/errors";
import type { GenerationBus } from "@/lib/generation";
import { RedisGenerationBus } from "@/lib/generation/redis-bus";
import { paramKeys } from "@/lib/params";
import { chatRequest } from "@/lib/testing/chat-request";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { configureEnv, ENV_VARS, restoreEnv } from "@/lib/testing/env";
import { sseData } from "@/lib/testing/sse";
import type { TurnMetadata } from "@/lib/types";
import { POST as STOP } from "./[id]/stop/route";
import { GET as FOLLOW } from "./[id]/stream/route";
import { POST } from "./route";

// Route handlers read the owner cookie with next/headers' cookies(); each test browser has a jar.
vi.mock("next/headers", () => import("@/lib/testing/browser"));

// The test runner's setting, not the app's configuration: lib/env.ts does not know it.
// eslint-disable-next-line no-restricted-syntax
const testRedisUrl = process.env.TEST_REDIS_URL?.trim() || undefined;

const API_KEY = "sk-route-TEST-4b8e1f0c9d2a";
const MODEL = "openai/gpt-oss-120b";
const IDLE_MS = 500;

let fake: FakeUpstream;
let control: FakeUpstreamControl;
let dataDir: string;
/** The browser a test sends from unless it says otherwise. */
let browser: TestBrowser;
/** Every response body of the test, checked for the key afterwards. */
let bodies: string[];
/** Every log line of the test, checked for the key afterwards. */
let logs: string[];

function baseEnv(): Record<string, string | undefined> {
  return {
    ...Object.fromEntries(ENV_VARS.map((name) => [name, undefined])),
    AIMLAPI_BASE_URL: fake.baseURL,
    AIMLAPI_API_KEY: API_KEY,
    UPSTREAM_MAX_RETRIES: "0",
    UPSTREAM_IDLE_TIMEOUT_MS: String(IDLE_MS),
    // A PGlite database of this file's own; no REDIS_URL, so generations use the in-memory bus.
    DATA_DIR: dataDir,
  };
}

beforeAll(async () => {
  fake = await startFakeUpstream();
  control = new FakeUpstreamControl(fake.origin);
  dataDir = await mkdtemp(path.join(tmpdir(), "thinkpane-chat-route-"));
  configureEnv(baseEnv());
  await getDb();
}, 30_000);

afterAll(async () => {
  await closeDb();
  restoreEnv();
  await rm(dataDir, { recursive: true, force: true });
  await fake?.close();
});

beforeEach(() => {
  configureEnv(baseEnv());
  browser = new TestBrowser();
  bodies = [];
  logs = [];
  for (const method of ["log", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(" "));
    });
  }
});

afterEach(() => {
  // No response and no log line may carry the key, whatever the case.
  for (const body of bodies) expect(body).not.toContain(API_KEY);
  for (const line of logs) expect(line).not.toContain(API_KEY);
  restoreEnv();
});

type SettingsOptions = { params?: Record<string, unknown>; model?: string; system?: string };

function settings(options: SettingsOptions = {}) {
  return {
    model: options.model ?? MODEL,
    ...(options.system !== undefined ? { system: options.system } : {}),
    params: options.params ?? {},
  };
}

/** A new message; its text carries the fake upstream's scenario tag for `key`. */
function submit(
  options: SettingsOptions & {
    conversationId?: string;
    key: string;
    text?: string;
    messageId?: string;
  },
) {
  return {
    conversationId: options.conversationId ?? uniqueId("c"),
    trigger: "submit-message",
    message: {
      id: options.messageId ?? uniqueId("u"),
      text: `${tag(options.key)} ${options.text ?? "Say hello"}`,
    },
    settings: settings(options),
  };
}

function regenerate(conversationId: string, options: SettingsOptions = {}) {
  return { conversationId, trigger: "regenerate-message", settings: settings(options) };
}

function edit(conversationId: string, messageId: string, text: string) {
  return {
    conversationId,
    trigger: "edit-message",
    message: { id: messageId, text },
    settings: settings(),
  };
}

type SendOptions = {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  from?: TestBrowser;
};

function post(body: unknown, options: SendOptions = {}): Promise<Response> {
  const from = options.from ?? browser;
  return from.run(() => POST(chatRequest(body, { ...options, address: from.address })));
}

async function readAll(response: Response): Promise<string> {
  const text = await response.text();
  bodies.push(text);
  return text;
}

async function send(
  body: unknown,
  options?: SendOptions,
): Promise<{ response: Response; text: string }> {
  const response = await post(body, options);
  return { response, text: await readAll(response) };
}

const routeContext = (id: string) => ({ params: Promise.resolve({ id }) });

async function stop(conversationId: string, from = browser) {
  const request = new Request(`http://localhost/api/chat/${conversationId}/stop`, {
    method: "POST",
  });
  const response = await from.run(() => STOP(request, routeContext(conversationId)));
  return { response, text: await readAll(response) };
}

async function follow(conversationId: string, from = browser) {
  const request = new Request(`http://localhost/api/chat/${conversationId}/stream`);
  const response = await from.run(() => FOLLOW(request, routeContext(conversationId)));
  return { response, text: await readAll(response) };
}

/** Reads a streaming response bit by bit, e.g. until the answer is flowing. */
class PartialRead {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  seen = "";

  constructor(response: Response) {
    expect(response.status).toBe(200);
    this.reader = response.body!.getReader();
  }

  async until(marker: string): Promise<void> {
    while (!this.seen.includes(marker)) {
      const { done, value } = await this.reader.read();
      if (done) throw new Error(`The stream ended before ${marker}: ${this.seen}`);
      this.seen += this.decoder.decode(value, { stream: true });
    }
  }

  /** Everything the response carried, once it has ended. */
  async rest(): Promise<string> {
    for (;;) {
      const { done, value } = await this.reader.read();
      if (done) break;
      this.seen += this.decoder.decode(value, { stream: true });
    }
    bodies.push(this.seen);
    return this.seen;
  }

  async cancel(): Promise<void> {
    bodies.push(this.seen);
    await this.reader.cancel();
  }
}

type StreamPart = {
  type: string;
  delta?: string;
  errorText?: string;
  messageMetadata?: TurnMetadata;
  finishReason?: string;
};

function uiParts(text: string): StreamPart[] {
  const events = sseData(text);
  expect(events.at(-1)).toBe("[DONE]");
  return events.slice(0, -1).map((event) => JSON.parse(event) as StreamPart);
}

const joined = (parts: StreamPart[], type: string) =>
  parts
    .filter((p) => p.type === type)
    .map((p) => p.delta ?? "")
    .join("");

/** All metadata the turn sent, merged in order (the way the client merges it). */
const mergedMetadata = (parts: StreamPart[]): TurnMetadata =>
  Object.assign(
    {},
    ...parts.filter((p) => p.messageMetadata).map((p) => p.messageMetadata),
  ) as TurnMetadata;

function errorBody(response: Response, text: string): ErrorPayload {
  expect(response.headers.get("content-type")).toBe("application/json");
  const json = JSON.parse(text) as { error: ErrorPayload };
  // The client rebuilds the same error from the text.
  expect(ThinkpaneError.fromText(text).code).toBe(json.error.code);
  return json.error;
}

function streamError(parts: StreamPart[]): ThinkpaneError {
  const errors = parts.filter((p) => p.type === "error");
  expect(errors).toHaveLength(1);
  return ThinkpaneError.fromText(errors[0]?.errorText ?? "");
}

async function recorded(
  key: string,
  count = 1,
): Promise<RecordedRequest & { body: Record<string, unknown> }> {
  const request = await control.waitForRequest(key, { count, timeoutMs: 2_000 });
  return request as RecordedRequest & { body: Record<string, unknown> };
}

async function ownerOf(from = browser): Promise<string> {
  const ownerId = await from.run(() => readOwner());
  if (!ownerId) throw new Error("This browser has no owner cookie yet");
  return ownerId;
}

/** The conversation as its owner (`from`) sees it in the database. */
async function stored(conversationId: string, from = browser) {
  const conversation = await getConversation({ id: conversationId, ownerId: await ownerOf(from) });
  if (!conversation) throw new Error(`Conversation ${conversationId} is not stored`);
  return conversation;
}

/** Whether a conversation with this id exists at all, whoever owns it. */
async function conversationExists(conversationId: string): Promise<boolean> {
  const rows = await (
    await getDb()
  )
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  return rows.length > 0;
}

type StoredMessage = Awaited<ReturnType<typeof stored>>["messages"][number];

const textOf = (message: StoredMessage | undefined, type: "text" | "reasoning" = "text") =>
  (message?.parts ?? []).map((p) => (p.type === type ? p.text : "")).join("");

/** A scenario slow enough to act on mid-answer (stop, follow, a second request). */
const slowAnswer = (delayMs = 60) =>
  stream({ delayMs, reasoning: ["r"], answer: ["a", "b", "c", "d", "e", "f", "g", "h"] });

describe("POST /api/chat: streaming a turn", () => {
  it("streams reasoning and answer parts and finishes with usage and cost", async () => {
    const key = uniqueKey("route-ok");
    await control.script(
      key,
      stream({
        reasoning: ["The user", " greets me."],
        answer: ["Hel", "lo!"],
        usage: { prompt_tokens: 84, completion_tokens: 57, reasoning_tokens: 40 },
        meta: { usd_spent: 0.000123, credits_used: 258 },
      }),
    );
    const { response, text } = await send(submit({ key }));

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");

    const parts = uiParts(text);
    const types = parts.map((p) => p.type);
    for (const type of [
      "start",
      "reasoning-start",
      "reasoning-delta",
      "reasoning-end",
      "text-start",
      "text-delta",
      "text-end",
      "finish",
    ]) {
      expect(types).toContain(type);
    }
    expect(types.indexOf("reasoning-delta")).toBeLessThan(types.indexOf("text-delta"));
    expect(joined(parts, "reasoning-delta")).toBe("The user greets me.");
    expect(joined(parts, "text-delta")).toBe("Hello!");
    expect(types).not.toContain("error");

    expect(parts[0]?.messageMetadata).toMatchObject({ model: MODEL, status: "streaming" });
    const finish = parts.find((p) => p.type === "finish");
    expect(finish?.finishReason).toBe("stop");
    expect(finish?.messageMetadata).toMatchObject({
      usage: { promptTokens: 84, reasoningTokens: 40, answerTokens: 17, totalTokens: 141 },
      costUsd: 0.000123,
      finishReason: "stop",
      status: "done",
    });
    expect(finish?.messageMetadata?.totalMs).toBeGreaterThanOrEqual(0);

    const metadata = mergedMetadata(parts);
    expect(metadata.firstReasoningMs).toBeGreaterThanOrEqual(0);
    expect(metadata.firstAnswerMs).toBeGreaterThanOrEqual(metadata.firstReasoningMs ?? Infinity);
    expect(metadata.reasoningMs).toBeGreaterThanOrEqual(0);
  });

  it("sends every set parameter under its wire name, with the key, model and usage option", async () => {
    const key = uniqueKey("route-params");
    const params = {
      reasoning_effort: "high",
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      min_p: 0.05,
      top_a: 0.1,
      repetition_penalty: 1.1,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      max_completion_tokens: 4096,
      seed: 42,
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", schema: { type: "object" }, strict: true },
      },
      logit_bias: { "50256": -100 },
      provider: "openrouter",
      parallel_tool_calls: false,
    };
    // Sent through the AI SDK's tools and toolChoice, or (the loop switch) not at all.
    const tool = { name: "get_weather", parameters: { type: "object" }, enabled: true };
    const others = { tools: [tool], tool_choice: "required", reasoning_in_tool_loops: true };
    expect(Object.keys({ ...params, ...others }).sort()).toEqual([...paramKeys].sort());
    const { response } = await send(
      submit({ key, params: { ...params, ...others }, system: "Be brief." }),
    );
    expect(response.status).toBe(200);

    const request = await recorded(key);
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body).toMatchObject({
      model: MODEL,
      stream: true,
      stream_options: { include_usage: true },
      ...params,
    });
    for (const [name, value] of Object.entries(params)) expect(request.body[name]).toEqual(value);
    expect(request.body.tools).toEqual([
      { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
    ]);
    expect(request.body.tool_choice).toBe("required");
    expect(request.body).not.toHaveProperty("reasoning_in_tool_loops");
    expect(request.body).not.toHaveProperty("max_tokens");
    expect(request.body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: `${tag(key)} Say hello` },
    ]);
  });

  it("leaves unset parameters out of the upstream request", async () => {
    const key = uniqueKey("route-unset");
    await send(submit({ key, params: { temperature: 0, seed: 7 } }));
    const request = await recorded(key);
    expect(request.body.temperature).toBe(0);
    expect(request.body.seed).toBe(7);
    for (const name of paramKeys.filter((k) => k !== "temperature" && k !== "seed")) {
      expect(request.body).not.toHaveProperty(name);
    }
    expect(request.body).not.toHaveProperty("max_tokens");
    expect(request.body.stream_options).toEqual({ include_usage: true });
    // No system message when no system prompt was set.
    expect((request.body.messages as { role: string }[]).map((m) => m.role)).toEqual(["user"]);
  });

  it.each(["reasoning_content", "reasoning", "openrouter"] as const)(
    "reads reasoning from the %s field once, without duplicating the answer",
    async (reasoningField) => {
      const key = uniqueKey(`route-${reasoningField}`);
      await control.script(
        key,
        stream({
          reasoningField,
          reasoning: ["Think", "ing"],
          answer: ["An", "swer"],
          comments: true,
        }),
      );
      const conversationId = uniqueId("c");
      const parts = uiParts((await send(submit({ conversationId, key }))).text);
      expect(joined(parts, "reasoning-delta")).toBe("Thinking");
      expect(joined(parts, "text-delta")).toBe("Answer");
      expect(parts.filter((p) => p.type === "reasoning-delta")).toHaveLength(2);
      // Stored once too.
      const answer = (await stored(conversationId)).messages[1];
      expect(textOf(answer, "reasoning")).toBe("Thinking");
      expect(textOf(answer)).toBe("Answer");
    },
  );

  it("splits a delta that carries reasoning and answer together (Cerebras style)", async () => {
    const key = uniqueKey("route-combined");
    await control.script(
      key,
      stream({ combined: true, reasoning: ["a", "b"], answer: ["c", "d"] }),
    );
    const parts = uiParts((await send(submit({ key }))).text);
    expect(joined(parts, "reasoning-delta")).toBe("ab");
    expect(joined(parts, "text-delta")).toBe("cd");
  });

  it("uses the default scenario text when nothing was scripted", async () => {
    const parts = uiParts((await send(submit({ key: uniqueKey("route-default") }))).text);
    expect(joined(parts, "reasoning-delta")).toBe(DEFAULT_REASONING.join(""));
    expect(joined(parts, "text-delta")).toBe(DEFAULT_ANSWER.join(""));
  });
});

describe("POST /api/chat: the server owns the history", () => {
  it("creates the conversation on the first message and saves the finished turn", async () => {
    const key = uniqueKey("route-save");
    await control.script(key, stream({ reasoning: ["Mull", "ing"], answer: ["Hel", "lo!"] }));
    const conversationId = uniqueId("c");
    const messageId = uniqueId("u");
    const body = submit({ conversationId, key, messageId, text: "Hi there", params: { seed: 3 } });
    const { response } = await send(body);
    expect(response.status).toBe(200);

    // The response ends after the final save: what is stored now is the whole turn.
    const conversation = await stored(conversationId);
    expect(conversation.title).toBe(`${tag(key)} Hi there`);
    expect(conversation.settings).toEqual(body.settings);
    expect(conversation.messages.map((m) => [m.id, m.role, m.status])).toEqual([
      [messageId, "user", "done"],
      [expect.any(String), "assistant", "done"],
    ]);
    const [question, answer] = conversation.messages;
    expect(textOf(question)).toBe(`${tag(key)} Hi there`);
    expect(textOf(answer, "reasoning")).toBe("Mulling");
    expect(textOf(answer)).toBe("Hello!");
    expect(answer?.metadata).toMatchObject({ model: MODEL, status: "done", finishReason: "stop" });
  });

  it("sends the stored history upstream on the next turn, without earlier reasoning", async () => {
    const conversationId = uniqueId("c");
    const first = uniqueKey("route-turn1");
    await control.script(
      first,
      stream({ reasoning: ["PRIVATE-CHAIN-OF-THOUGHT"], answer: ["Hello", "!"] }),
    );
    await send(submit({ conversationId, key: first, text: "Hi", system: "Be brief." }));

    const second = uniqueKey("route-turn2");
    const { response } = await send(
      submit({ conversationId, key: second, text: "And now?", system: "Be brief." }),
    );
    expect(response.status).toBe(200);

    const request = await recorded(second);
    expect(request.body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: `${tag(first)} Hi` },
      { role: "assistant", content: "Hello!" },
      { role: "user", content: `${tag(second)} And now?` },
    ]);
    expect(JSON.stringify(request.body)).not.toContain("PRIVATE-CHAIN-OF-THOUGHT");
    // The database keeps the reasoning for display; only the upstream request leaves it out.
    const messages = (await stored(conversationId)).messages;
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(textOf(messages[1], "reasoning")).toBe("PRIVATE-CHAIN-OF-THOUGHT");
  });

  it("leaves out of the history a turn stopped while it was still reasoning", async () => {
    const conversationId = uniqueId("c");
    const first = uniqueKey("route-hist1");
    await control.script(first, stream({ reasoning: ["ok"], answer: ["Fine."] }));
    await send(submit({ conversationId, key: first, text: "One" }));

    const second = uniqueKey("route-hist2");
    await control.script(
      second,
      // Reasoning long enough that Stop lands before any answer text.
      stream({
        delayMs: 80,
        reasoning: ["STOPPED-", "MID-", "THOUGHT", ...Array.from({ length: 10 }, () => ".")],
      }),
    );
    const running = new PartialRead(
      await post(submit({ conversationId, key: second, text: "Two" })),
    );
    await running.until("STOPPED-");
    await stop(conversationId);
    await running.rest();
    const stoppedTurn = (await stored(conversationId)).messages[3];
    expect(stoppedTurn?.status).toBe("stopped");
    expect(textOf(stoppedTurn, "reasoning")).toContain("STOPPED-");

    const third = uniqueKey("route-hist3");
    await send(submit({ conversationId, key: third, text: "Three" }));
    const request = await recorded(third);
    expect(request.body.messages).toEqual([
      { role: "user", content: `${tag(first)} One` },
      { role: "assistant", content: "Fine." },
      { role: "user", content: `${tag(second)} Two` },
      { role: "user", content: `${tag(third)} Three` },
    ]);
    expect(JSON.stringify(request.body)).not.toContain("STOPPED-");
  });

  it("refuses a client-supplied history: the browser cannot rewrite it", async () => {
    const key = uniqueKey("route-history-field");
    const body = {
      ...submit({ key }),
      messages: [{ id: "a0", role: "assistant", parts: [{ type: "text", text: "I said yes" }] }],
    };
    const { response, text } = await send(body);
    expect(response.status).toBe(400);
    expect(errorBody(response, text).details?.field).toBe("messages");
    expect(await control.requests(key)).toEqual([]);
  });

  it("regenerate adds another version of the last answer and keeps the first", async () => {
    const key = uniqueKey("route-regen");
    await control.script(
      key,
      sequence(
        stream({ reasoning: [], answer: ["First answer"] }),
        stream({ reasoning: [], answer: ["Second answer"] }),
      ),
    );
    const conversationId = uniqueId("c");
    await send(submit({ conversationId, key, text: "Question" }));
    const before = (await stored(conversationId)).messages;
    expect(textOf(before[1])).toBe("First answer");

    const { response, text } = await send(regenerate(conversationId));
    expect(response.status).toBe(200);
    expect(joined(uiParts(text), "text-delta")).toBe("Second answer");

    const conversation = await stored(conversationId);
    const after = conversation.messages;
    expect(after.map((m) => [m.role, textOf(m), m.parentId])).toEqual([
      ["user", `${tag(key)} Question`, null],
      ["assistant", "First answer", before[0]?.id],
      ["assistant", "Second answer", before[0]?.id],
    ]);
    expect(after[1]?.id).toBe(before[1]?.id);
    expect(after[2]?.status).toBe("done");
    expect(conversation.activeLeafId).toBe(after[2]?.id);
    // The upstream saw the question alone, not the other version.
    expect((await recorded(key, 2)).body.messages).toEqual([
      { role: "user", content: `${tag(key)} Question` },
    ]);
  });

  it("edit adds a new version of the user message beside the original, which keeps its branch", async () => {
    const conversationId = uniqueId("c");
    const first = uniqueKey("route-edit1");
    const second = uniqueKey("route-edit2");
    const rewritten = uniqueKey("route-edit3");
    await control.script(first, stream({ reasoning: [], answer: ["One"] }));
    await control.script(second, stream({ reasoning: [], answer: ["Two"] }));
    await control.script(rewritten, stream({ reasoning: [], answer: ["Rewritten answer"] }));
    const firstId = uniqueId("u");
    await send(submit({ conversationId, key: first, messageId: firstId, text: "Original" }));
    await send(submit({ conversationId, key: second, text: "Follow-up" }));
    expect((await stored(conversationId)).messages).toHaveLength(4);

    const { response } = await send(
      edit(conversationId, firstId, `${tag(rewritten)} Rewritten question`),
    );
    expect(response.status).toBe(200);

    const conversation = await stored(conversationId);
    const messages = conversation.messages;
    expect(messages.map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
    expect(messages[0]?.id).toBe(firstId);
    expect(textOf(messages[0])).toBe(`${tag(first)} Original`);
    expect(textOf(messages[3])).toBe("Two");
    // A new message (new id) with the original's parent (none: it was the first).
    expect(messages[4]?.id).not.toBe(firstId);
    expect(messages[4]?.parentId).toBeNull();
    expect(textOf(messages[4])).toBe(`${tag(rewritten)} Rewritten question`);
    expect(messages[5]?.parentId).toBe(messages[4]?.id);
    expect(textOf(messages[5])).toBe("Rewritten answer");
    expect(conversation.activeLeafId).toBe(messages[5]?.id);
    expect((await recorded(rewritten)).body.messages).toEqual([
      { role: "user", content: `${tag(rewritten)} Rewritten question` },
    ]);
  });

  it("refuses to edit a message that is not a user message of the conversation", async () => {
    const key = uniqueKey("route-edit-missing");
    const conversationId = uniqueId("c");
    await send(submit({ conversationId, key }));
    const [, answer] = (await stored(conversationId)).messages;

    for (const messageId of [uniqueId("u"), answer!.id]) {
      const { response, text } = await send(edit(conversationId, messageId, "Changed"));
      expect(response.status).toBe(404);
      expect(errorBody(response, text).code).toBe("not_found");
    }
    expect((await stored(conversationId)).messages).toHaveLength(2);
    expect(await control.requests(key)).toHaveLength(1);
  });

  it("puts a new message under the parent the browser shows, with the path to it as history", async () => {
    const conversationId = uniqueId("c");
    const first = uniqueKey("route-parent1");
    const second = uniqueKey("route-parent2");
    const third = uniqueKey("route-parent3");
    await control.script(
      first,
      sequence(
        stream({ reasoning: [], answer: ["Answer one"] }),
        stream({ reasoning: [], answer: ["Answer two"] }),
      ),
    );
    await control.script(third, stream({ reasoning: [], answer: ["Follow-up answer"] }));
    const questionId = uniqueId("u");
    await send(submit({ conversationId, key: first, messageId: questionId, text: "Question" }));
    await send(submit({ conversationId, key: first, messageId: questionId, text: "Question" }));
    const [, answerOne, answerTwo] = (await stored(conversationId)).messages;
    expect(textOf(answerTwo)).toBe("Answer two");

    // Not in this conversation: refused, nothing stored, nothing sent.
    const stray = await send({
      ...submit({ conversationId, key: second }),
      parentId: uniqueId("m"),
    });
    expect(stray.response.status).toBe(400);
    expect(errorBody(stray.response, stray.text)).toMatchObject({
      code: "bad_request:invalid_body",
      details: { field: "parentId" },
    });
    expect(await control.requests(second)).toEqual([]);

    // The browser shows the first answer: the follow-up goes under it, and only it goes upstream.
    const { response } = await send({
      ...submit({ conversationId, key: third, text: "Follow-up" }),
      parentId: answerOne!.id,
    });
    expect(response.status).toBe(200);
    expect((await recorded(third)).body.messages).toEqual([
      { role: "user", content: `${tag(first)} Question` },
      { role: "assistant", content: "Answer one" },
      { role: "user", content: `${tag(third)} Follow-up` },
    ]);
    const conversation = await stored(conversationId);
    const followUp = conversation.messages[3];
    expect(followUp?.parentId).toBe(answerOne!.id);
    expect(conversation.activeLeafId).toBe(conversation.messages[4]?.id);
  });

  it("a message sent again (Retry) is answered again, never stored twice", async () => {
    const key = uniqueKey("route-resend");
    await control.script(
      key,
      sequence(
        stream({ reasoning: [], answer: ["First answer"] }),
        stream({ reasoning: [], answer: ["Second answer"] }),
        stream({ reasoning: [], answer: ["Third answer"] }),
      ),
    );
    const conversationId = uniqueId("c");
    const messageId = uniqueId("u");
    await send(submit({ conversationId, key, messageId, text: "Question" }));
    const { response, text } = await send(
      submit({ conversationId, key, messageId, text: "Question" }),
    );
    expect(response.status).toBe(200);
    expect(joined(uiParts(text), "text-delta")).toBe("Second answer");
    // The question once, and both answers: the second is another version, the one shown.
    const resent = await stored(conversationId);
    const after = resent.messages;
    expect(after.map((m) => [m.role, textOf(m), m.parentId])).toEqual([
      ["user", `${tag(key)} Question`, null],
      ["assistant", "First answer", messageId],
      ["assistant", "Second answer", messageId],
    ]);
    expect(resent.activeLeafId).toBe(after[2]?.id);
    expect((await recorded(key, 2)).body.messages).toEqual([
      { role: "user", content: `${tag(key)} Question` },
    ]);

    // An earlier question sent again gets another answer of its own, from the path to it.
    await send(submit({ conversationId, key, text: "Follow-up" }));
    const earlier = await send(submit({ conversationId, key, messageId, text: "Question" }));
    expect(earlier.response.status).toBe(200);
    expect((await recorded(key, 4)).body.messages).toEqual([
      { role: "user", content: `${tag(key)} Question` },
    ]);
    const messages = (await stored(conversationId)).messages;
    expect(messages).toHaveLength(6);
    expect(messages[5]?.parentId).toBe(messageId);

    // An answer's id is not a question to ask again.
    const answerId = messages[1]!.id;
    const refused = await send(submit({ conversationId, key, messageId: answerId }));
    expect(refused.response.status).toBe(400);
    expect(errorBody(refused.response, refused.text)).toMatchObject({
      code: "bad_request:invalid_body",
      details: { field: "message.id" },
    });
    expect((await stored(conversationId)).messages).toHaveLength(6);
  });

  it("refuses to regenerate in a conversation that does not exist", async () => {
    const { response, text } = await send(regenerate(uniqueId("c")));
    expect(response.status).toBe(404);
    expect(errorBody(response, text).code).toBe("not_found");
  });

  it("saves the user's message before calling the upstream, and keeps it when that fails", async () => {
    const key = uniqueKey("route-save-first");
    await control.script(key, {
      ...httpError(503, errorBodies.openai("Service unavailable", "server_error")),
      delayMs: 300,
    });
    const conversationId = uniqueId("c");
    const messageId = uniqueId("u");
    const running = post(submit({ conversationId, key, messageId, text: "Keep me" }));

    // While the upstream is still answering, the question is already stored.
    await recorded(key);
    const during = (await stored(conversationId)).messages;
    expect(during.map((m) => [m.id, m.role, m.status])).toEqual([
      [messageId, "user", "done"],
      [expect.any(String), "assistant", "streaming"],
    ]);

    const parts = uiParts(await readAll(await running));
    expect(streamError(parts).code).toBe("upstream:unavailable");
    const after = (await stored(conversationId)).messages;
    expect(after[0]).toMatchObject({ id: messageId, role: "user", status: "done" });
    expect(textOf(after[0])).toBe(`${tag(key)} Keep me`);
    expect(after[1]).toMatchObject({ status: "error" });
    expect(after[1]?.metadata).toMatchObject({
      status: "error",
      error: { code: "upstream:unavailable" },
    });
  });

  it("keeps the user's message when the upstream cannot be reached at all", async () => {
    const closed = await startFakeUpstream();
    await closed.close();
    configureEnv({ AIMLAPI_BASE_URL: closed.baseURL });
    const conversationId = uniqueId("c");
    const parts = uiParts(
      (await send(submit({ conversationId, key: uniqueKey("route-refused-save") }))).text,
    );
    expect(streamError(parts).code).toBe("upstream:unreachable");
    const messages = (await stored(conversationId)).messages;
    expect(messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "done"],
      ["assistant", "error"],
    ]);
  });

  it("saves a turn that failed mid-stream as error, with the text it had", async () => {
    const key = uniqueKey("route-save-error");
    await control.script(
      key,
      stream({
        reasoning: ["r"],
        answer: ["partial"],
        errorAfter: { chunks: 3, error: { code: 502, message: "Provider returned error" } },
      }),
    );
    const conversationId = uniqueId("c");
    await send(submit({ conversationId, key }));
    const answer = (await stored(conversationId)).messages[1];
    expect(answer?.status).toBe("error");
    expect(textOf(answer)).toBe("partial");
    expect(answer?.metadata).toMatchObject({
      status: "error",
      error: { code: "upstream:stream_error" },
    });
  });
});

describe("POST /api/chat: upstream failures become in-stream coded errors", () => {
  it("maps a 429 to upstream:rate_limited with the Retry-After delay", async () => {
    const key = uniqueKey("route-429");
    await control.script(key, rateLimited(7));
    const { response, text } = await send(submit({ key }));
    expect(response.status).toBe(200);
    const parts = uiParts(text);
    const error = streamError(parts);
    expect(error.code).toBe("upstream:rate_limited");
    expect(error.details.retryAfterSeconds).toBe(7);
    expect(error.details.upstreamStatus).toBe(429);
    const metadata = mergedMetadata(parts);
    expect(metadata.status).toBe("error");
    expect(metadata.error?.code).toBe("upstream:rate_limited");
    // No retries were configured: exactly one upstream call.
    expect(await control.requests(key)).toHaveLength(1);
  });

  it("logs the upstream's failure with the request's id, from inside the detached generation", async () => {
    const key = uniqueKey("route-log-id");
    await control.script(key, httpError(500, errorBodies.openai("boom")));
    const requestId = "0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a";
    await send(submit({ key }), { headers: { "x-request-id": requestId } });
    const line = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.event === "upstream.error");
    expect(line).toMatchObject({ requestId, code: "upstream:unavailable", upstreamStatus: 500 });
  });

  it("redacts the key when the upstream echoes it in a 401", async () => {
    const key = uniqueKey("route-401");
    await control.script(
      key,
      httpError(
        401,
        errorBodies.openai(
          `Incorrect API key provided: ${API_KEY}.`,
          "invalid_request_error",
          "invalid_api_key",
        ),
      ),
    );
    const conversationId = uniqueId("c");
    const { text } = await send(submit({ conversationId, key }));
    const error = streamError(uiParts(text));
    expect(error.code).toBe("upstream:auth");
    expect(error.details.upstreamMessage).toContain("[redacted]");
    expect(error.message).toContain("AIMLAPI_API_KEY");
    // What is stored (and later exported or shared) is redacted as well.
    const saved = JSON.stringify(await stored(conversationId));
    expect(saved).toContain("[redacted]");
    expect(saved).not.toContain(API_KEY);
  });

  it("keeps the upstream's words for a 400 token-budget error", async () => {
    const key = uniqueKey("route-400");
    await control.script(
      key,
      httpError(400, errorBodies.openai("max_tokens or model output limit was reached")),
    );
    const error = streamError(
      uiParts((await send(submit({ key, params: { max_completion_tokens: 1 } }))).text),
    );
    expect(error.code).toBe("upstream:bad_request");
    expect(error.details.upstreamMessage).toBe("max_tokens or model output limit was reached");
  });

  it("maps an OpenRouter-style error inside a 200 stream to upstream:stream_error, keeping the text before it", async () => {
    const key = uniqueKey("route-midstream");
    await control.script(
      key,
      stream({
        reasoning: ["r"],
        answer: ["partial"],
        errorAfter: { chunks: 3, error: { code: 502, message: "Provider returned error" } },
      }),
    );
    const parts = uiParts((await send(submit({ key }))).text);
    expect(joined(parts, "text-delta")).toBe("partial");
    const error = streamError(parts);
    expect(error.code).toBe("upstream:stream_error");
    expect(error.details.upstreamMessage).toBe("Provider returned error");
  });

  it("ends a stalled stream with upstream:stalled after the idle timeout", async () => {
    const key = uniqueKey("route-stall");
    await control.script(key, stream({ reasoning: ["r"], answer: ["partial"], stallAfter: 3 }));
    const conversationId = uniqueId("c");
    const started = Date.now();
    const parts = uiParts((await send(submit({ conversationId, key }))).text);
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 20);
    expect(joined(parts, "text-delta")).toBe("partial");
    expect(streamError(parts).code).toBe("upstream:stalled");
    expect(mergedMetadata(parts).status).toBe("error");
    // The server closed the stalled upstream connection itself.
    expect((await control.waitForHangUp(key, { timeoutMs: 2_000 })).clientClosed).toBe(true);
    const answer = (await stored(conversationId)).messages[1];
    expect(answer?.status).toBe("error");
    expect(textOf(answer)).toBe("partial");
  });

  it("maps a dropped connection to upstream:connection_lost", async () => {
    const key = uniqueKey("route-drop");
    await control.script(key, stream({ reasoning: ["r"], answer: ["partial"], dropAfter: 3 }));
    const parts = uiParts((await send(submit({ key }))).text);
    expect(joined(parts, "text-delta")).toBe("partial");
    expect(streamError(parts).code).toBe("upstream:connection_lost");
  });

  it("gives up with upstream:timeout when the upstream sends no headers in time", async () => {
    configureEnv({ UPSTREAM_CONNECT_TIMEOUT_MS: "150" });
    const key = uniqueKey("route-connect");
    await control.script(key, stream({ firstByteDelayMs: 1_000 }));
    const started = Date.now();
    const error = streamError(uiParts((await send(submit({ key }))).text));
    expect(error.code).toBe("upstream:timeout");
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("refuses to follow a redirect from the upstream", async () => {
    const key = uniqueKey("route-redirect");
    // A 307 to the same endpoint: following it would re-send the body (and key), filed under the same tag.
    await control.script(
      key,
      httpError(307, "moved", { location: `${fake.baseURL}/chat/completions` }),
    );
    const error = streamError(uiParts((await send(submit({ key }))).text));
    expect(error.code).toBe("upstream:invalid_response");
    expect(error.details.upstreamStatus).toBe(307);
    expect(await control.requests(key)).toHaveLength(1);
  });

  it("maps a refused connection to upstream:unreachable", async () => {
    const closed = await startFakeUpstream();
    await closed.close();
    configureEnv({ AIMLAPI_BASE_URL: closed.baseURL });
    const error = streamError(
      uiParts((await send(submit({ key: uniqueKey("route-refused") }))).text),
    );
    expect(error.code).toBe("upstream:unreachable");
  });
});

describe("Generations run apart from the request: stop, follow, conflicts", () => {
  it("Stop closes the upstream connection and saves the turn as stopped, keeping its text", async () => {
    const key = uniqueKey("route-stop");
    await control.script(key, slowAnswer(100));
    const conversationId = uniqueId("c");
    const running = new PartialRead(await post(submit({ conversationId, key })));
    // Stop once the answer is flowing, i.e. the upstream call is certainly open.
    await running.until('"type":"text-delta"');
    expect((await control.requests(key))[0]?.completed).toBe(false);

    const { response, text } = await stop(conversationId);
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toEqual({ stopped: true });
    const hungUp = await control.waitForHangUp(key, { timeoutMs: 2_000 });
    expect(hungUp).toMatchObject({ clientClosed: true, completed: false });

    // The response ends too, after the final save.
    const parts = uiParts(await running.rest());
    const streamed = joined(parts, "text-delta");
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed.length).toBeLessThan(8);
    const answer = (await stored(conversationId)).messages[1];
    expect(answer?.status).toBe("stopped");
    expect(answer?.metadata?.status).toBe("stopped");
    expect(textOf(answer)).toBe(streamed);

    // Nothing runs any more: a second Stop has nothing to stop.
    expect(JSON.parse((await stop(conversationId)).text)).toEqual({ stopped: false });
  });

  it("a browser that goes away does not stop the generation: it completes and is saved", async () => {
    const key = uniqueKey("route-leave");
    await control.script(key, slowAnswer(40));
    const conversationId = uniqueId("c");
    const controller = new AbortController();
    const running = new PartialRead(
      await post(submit({ conversationId, key }), { signal: controller.signal }),
    );
    await running.until('"type":"text-delta"');
    controller.abort();
    await running.cancel();

    // Following it again shows the whole turn, from the start to its end.
    const { response, text } = await follow(conversationId);
    expect(response.status).toBe(200);
    expect(joined(uiParts(text), "text-delta")).toBe("abcdefgh");

    const [request] = await control.requests(key);
    expect(request).toMatchObject({ completed: true, clientClosed: false });
    const answer = (await stored(conversationId)).messages[1];
    expect(answer?.status).toBe("done");
    expect(textOf(answer)).toBe("abcdefgh");
  });

  it("GET /api/chat/[id]/stream replays a running turn from its start, then follows it live", async () => {
    const key = uniqueKey("route-follow");
    await control.script(key, slowAnswer(50));
    const conversationId = uniqueId("c");
    const running = new PartialRead(await post(submit({ conversationId, key })));
    await running.until('"type":"text-delta"');

    const followed = await follow(conversationId);
    expect(followed.response.status).toBe(200);
    expect(followed.response.headers.get("content-type")).toContain("text/event-stream");
    const replayed = uiParts(followed.text);
    const original = uiParts(await running.rest());
    expect(replayed[0]?.type).toBe("start");
    expect(replayed.map((p) => p.type)).toEqual(original.map((p) => p.type));
    expect(joined(replayed, "reasoning-delta")).toBe("r");
    expect(joined(replayed, "text-delta")).toBe("abcdefgh");
  });

  it("GET /api/chat/[id]/stream answers 204 when nothing runs", async () => {
    const ownerId = await browser.run(() => ensureOwner(new Request("http://localhost/")));
    const conversationId = uniqueId("c");
    await createConversation({
      id: conversationId,
      ownerId,
      title: "Quiet",
      settings: settings(),
    });
    const { response, text } = await follow(conversationId);
    expect(response.status).toBe(204);
    expect(text).toBe("");
    expect(JSON.parse((await stop(conversationId)).text)).toEqual({ stopped: false });
  });

  it("refuses a second turn while one runs with 409 conflict:generating, storing nothing", async () => {
    const key = uniqueKey("route-conflict");
    await control.script(key, slowAnswer(50));
    const conversationId = uniqueId("c");
    const running = new PartialRead(await post(submit({ conversationId, key })));
    await running.until('"type":"reasoning-delta"');

    const second = uniqueKey("route-conflict-2");
    for (const body of [
      submit({ conversationId, key: second, text: "Me too" }),
      regenerate(conversationId),
    ]) {
      const { response, text } = await send(body);
      expect(response.status).toBe(409);
      expect(errorBody(response, text).code).toBe("conflict:generating");
    }
    expect(await control.requests(second)).toEqual([]);
    expect((await stored(conversationId)).messages).toHaveLength(2);

    await stop(conversationId);
    await running.rest();
  });

  it("of two sends to one conversation at the same instant, exactly one starts", async () => {
    const key = uniqueKey("route-race");
    await control.script(key, slowAnswer(20));
    // The existing case first: its first send gives this browser its owner cookie, which two
    // first-ever requests at once would each make anew.
    for (const existing of [true, false]) {
      const conversationId = uniqueId("c");
      if (existing) await (await post(submit({ conversationId, key }))).text();
      const results = await Promise.all(
        ["One", "Two"].map((text) => send(submit({ conversationId, key, text }))),
      );
      expect(results.map((r) => r.response.status).sort()).toEqual([200, 409]);
      const refused = results.find((r) => r.response.status === 409)!;
      expect(errorBody(refused.response, refused.text).code).toBe("conflict:generating");
      const messages = (await stored(conversationId)).messages;
      // One user message and one answer more than before; no second answer.
      expect(messages.filter((m) => m.role === "assistant")).toHaveLength(existing ? 2 : 1);
    }
  });

  it("gives another owner 404 for submit, regenerate, edit, stop and stream, and leaves the turn alone", async () => {
    const key = uniqueKey("route-owner");
    await control.script(key, slowAnswer(50));
    const conversationId = uniqueId("c");
    const messageId = uniqueId("u");
    const running = new PartialRead(await post(submit({ conversationId, key, messageId })));
    await running.until('"type":"reasoning-delta"');

    const other = new TestBrowser();
    const intruder = uniqueKey("route-intruder");
    for (const body of [
      submit({ conversationId, key: intruder }),
      regenerate(conversationId),
      edit(conversationId, messageId, `${tag(intruder)} Mine now`),
    ]) {
      const { response, text } = await send(body, { from: other });
      expect(response.status).toBe(404);
      expect(errorBody(response, text).code).toBe("not_found");
    }
    for (const call of [stop, follow]) {
      const { response, text } = await call(conversationId, other);
      expect(response.status).toBe(404);
      expect(errorBody(response, text).code).toBe("not_found");
    }
    // A browser with no owner cookie at all fares no better.
    const anonymous = new TestBrowser();
    expect((await stop(conversationId, anonymous)).response.status).toBe(404);
    expect((await follow(conversationId, anonymous)).response.status).toBe(404);

    expect(await control.requests(intruder)).toEqual([]);
    // Nor does the log keep what the other browser wrote.
    expect(logs.some((line) => line.includes(tag(intruder)))).toBe(false);
    // The owner's turn ran on, untouched.
    const parts = uiParts(await running.rest());
    expect(joined(parts, "text-delta")).toBe("abcdefgh");
    const messages = (await stored(conversationId)).messages;
    expect(messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "done"],
      ["assistant", "done"],
    ]);
    expect(textOf(messages[0])).toBe(`${tag(key)} Say hello`);
  });
});

describe("POST /api/chat: refused before any upstream call", () => {
  async function expectNoUpstreamCall(key: string) {
    expect(await control.requests(key)).toEqual([]);
  }

  it("refuses invalid params with a 400 naming the field", async () => {
    const key = uniqueKey("route-invalid");
    const body = submit({ key, params: { temperature: 2.01 } });
    const { response, text } = await send(body);
    expect(response.status).toBe(400);
    const error = errorBody(response, text);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details?.field).toBe("settings.params.temperature");
    await expectNoUpstreamCall(key);
    expect(await conversationExists(body.conversationId)).toBe(false);
  });

  it("refuses max_completion_tokens over the model's context window with a 400 naming it", async () => {
    const key = uniqueKey("route-max-tokens");
    const over = submit({ key, params: { max_completion_tokens: 131_073 } });
    const { response, text } = await send(over);
    expect(response.status).toBe(400);
    const error = errorBody(response, text);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details?.field).toBe("settings.params.max_completion_tokens");
    expect(error.message).toContain("131072");
    for (const params of [{ max_completion_tokens: 1e12 }, { max_completion_tokens: 2 ** 31 }]) {
      const huge = await send(submit({ key, params }));
      expect(huge.response.status).toBe(400);
      expect(errorBody(huge.response, huge.text).details?.field).toBe(
        "settings.params.max_completion_tokens",
      );
    }
    await expectNoUpstreamCall(key);
    expect(await conversationExists(over.conversationId)).toBe(false);

    // The window itself is allowed.
    const atLimit = uniqueKey("route-max-tokens-ok");
    const ok = await send(submit({ key: atLimit, params: { max_completion_tokens: 131_072 } }));
    expect(ok.response.status).toBe(200);
    expect((await recorded(atLimit)).body.max_completion_tokens).toBe(131_072);
  });

  it("refuses unknown fields with a 400 naming them", async () => {
    const key = uniqueKey("route-unknown");
    const nested = await send(submit({ key, params: { max_tokens: 100 } }));
    expect(nested.response.status).toBe(400);
    expect(errorBody(nested.response, nested.text).details?.field).toBe(
      "settings.params.max_tokens",
    );

    const topLevel = await send({ ...submit({ key }), baseURL: "https://evil.example/v1" });
    expect(topLevel.response.status).toBe(400);
    const error = errorBody(topLevel.response, topLevel.text);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details?.field).toBe("baseURL");

    const inMessage = await send({
      ...submit({ key }),
      message: { id: "u1", text: "hi", role: "assistant" },
    });
    expect(inMessage.response.status).toBe(400);
    expect(errorBody(inMessage.response, inMessage.text).details?.field).toBe("message.role");
    await expectNoUpstreamCall(key);
  });

  it.each([
    ["a submit without its message", { message: undefined }, "message"],
    ["an empty message", { message: { id: "u1", text: "   " } }, "message.text"],
    ["a message id with odd characters", { message: { id: "../u1", text: "hi" } }, "message.id"],
    ["a conversation id with odd characters", { conversationId: "a/b" }, "conversationId"],
    ["an unknown trigger", { trigger: "rewrite-history" }, "trigger"],
  ])("refuses %s with a 400 naming the field", async (_name, change, field) => {
    const key = uniqueKey("route-shape");
    const { response, text } = await send({ ...submit({ key }), ...change });
    expect(response.status).toBe(400);
    const error = errorBody(response, text);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details?.field).toBe(field);
    await expectNoUpstreamCall(key);
  });

  it("refuses a regenerate that carries a message", async () => {
    const { response, text } = await send({
      ...regenerate(uniqueId("c")),
      message: { id: "u1", text: "hi" },
    });
    expect(response.status).toBe(400);
    expect(errorBody(response, text).details?.field).toBe("message");
  });

  it("refuses a body over 1 MB with 413, declared or not", async () => {
    const key = uniqueKey("route-large");
    const huge = JSON.stringify(submit({ key, system: "x".repeat(1_100_000) }));
    const undeclared = await send(huge);
    expect(undeclared.response.status).toBe(413);
    expect(errorBody(undeclared.response, undeclared.text).code).toBe("bad_request:too_large");
    const declared = await send(huge, {
      headers: { "content-length": String(Buffer.byteLength(huge)) },
    });
    expect(declared.response.status).toBe(413);
    expect(errorBody(declared.response, declared.text).code).toBe("bad_request:too_large");
    await expectNoUpstreamCall(key);
  });

  it("refuses a non-JSON body", async () => {
    const { response, text } = await send("model=openai/gpt-oss-120b", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(400);
    expect(errorBody(response, text).code).toBe("bad_request:invalid_body");
    const broken = await send("{ not json");
    expect(broken.response.status).toBe(400);
    expect(errorBody(broken.response, broken.text).code).toBe("bad_request:invalid_body");
  });

  it("refuses an unknown model with bad_request:unknown_model", async () => {
    const key = uniqueKey("route-model");
    for (const model of ["gpt-4o", fake.baseURL]) {
      const body = submit({ key, model });
      const { response, text } = await send(body);
      expect(response.status).toBe(400);
      const error = errorBody(response, text);
      expect(error.code).toBe("bad_request:unknown_model");
      expect(error.details?.field).toBe("settings.model");
      expect(await conversationExists(body.conversationId)).toBe(false);
    }
    await expectNoUpstreamCall(key);
  });

  it("answers 503 config:missing_key without a key, and calls nobody", async () => {
    configureEnv({ AIMLAPI_API_KEY: undefined });
    const key = uniqueKey("route-nokey");
    const body = submit({ key });
    const { response, text } = await send(body);
    expect(response.status).toBe(503);
    const error = errorBody(response, text);
    expect(error.code).toBe("config:missing_key");
    expect(error.details?.envVar).toBe("AIMLAPI_API_KEY");
    await expectNoUpstreamCall(key);
    expect(await conversationExists(body.conversationId)).toBe(false);
  });

  it("answers 500 internal:unexpected when the server's configuration is broken", async () => {
    configureEnv({ THINKPANE_PROVIDERS: "[not json" });
    const key = uniqueKey("route-badenv");
    const { response, text } = await send(submit({ key }));
    expect(response.status).toBe(500);
    expect(errorBody(response, text).code).toBe("internal:unexpected");
    // The details of the misconfiguration stay in the log.
    expect(text).not.toContain("THINKPANE_PROVIDERS");
    await expectNoUpstreamCall(key);
  });
});

describe.skipIf(!testRedisUrl)(
  testRedisUrl
    ? "Generations over Redis, across instances"
    : "Generations over Redis, across instances (skipped: TEST_REDIS_URL is not set)",
  () => {
    // lib/generation keeps the process's bus here; each simulated instance gets its own.
    const BUS = Symbol.for("thinkpane.generationBus");
    const holder = globalThis as { [BUS]?: GenerationBus };
    const connections: Redis[] = [];
    let saved: GenerationBus | undefined;
    let instanceA: GenerationBus;
    let instanceB: GenerationBus;

    function redisInstance(): GenerationBus {
      const pair = [0, 1].map(() => new Redis(testRedisUrl!, { maxRetriesPerRequest: 2 }));
      connections.push(...pair);
      return new RedisGenerationBus(pair[0]!, pair[1]!);
    }

    /** Makes the route handlers of this process act as instance `bus`. */
    function actAs(bus: GenerationBus): void {
      holder[BUS] = bus;
    }

    beforeAll(() => {
      saved = holder[BUS];
      instanceA = redisInstance();
      instanceB = redisInstance();
    });

    afterAll(async () => {
      holder[BUS] = saved;
      await Promise.all(connections.map((connection) => connection.quit()));
    });

    it("streams and saves a turn", async () => {
      actAs(instanceA);
      const key = uniqueKey("route-redis");
      await control.script(key, stream({ reasoning: ["r"], answer: ["Over ", "Redis"] }));
      const conversationId = uniqueId("c");
      const { response, text } = await send(submit({ conversationId, key }));
      expect(response.status).toBe(200);
      expect(joined(uiParts(text), "text-delta")).toBe("Over Redis");
      const answer = (await stored(conversationId)).messages[1];
      expect(answer?.status).toBe("done");
      expect(textOf(answer)).toBe("Over Redis");
    });

    it("follows and stops from instance B a turn that runs on instance A", async () => {
      actAs(instanceA);
      const key = uniqueKey("route-redis-stop");
      await control.script(key, slowAnswer(100));
      const conversationId = uniqueId("c");
      const running = new PartialRead(await post(submit({ conversationId, key })));
      await running.until('"type":"text-delta"');

      actAs(instanceB);
      const conflict = await send(submit({ conversationId, key: uniqueKey("route-redis-2") }));
      expect(conflict.response.status).toBe(409);
      const followed = follow(conversationId);
      const { text } = await stop(conversationId);
      expect(JSON.parse(text)).toEqual({ stopped: true });
      expect(await control.waitForHangUp(key, { timeoutMs: 2_000 })).toMatchObject({
        clientClosed: true,
        completed: false,
      });

      const original = joined(uiParts(await running.rest()), "text-delta");
      const { response, text: replay } = await followed;
      expect(response.status).toBe(200);
      expect(joined(uiParts(replay), "text-delta")).toBe(original);
      const answer = (await stored(conversationId)).messages[1];
      expect(answer?.status).toBe("stopped");
      expect(textOf(answer)).toBe(original);
    });
  },
);
