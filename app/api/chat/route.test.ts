import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeUpstreamControl, tag, uniqueKey } from "@/e2e/fake-upstream/client";
import {
  DEFAULT_ANSWER,
  DEFAULT_REASONING,
  errorBodies,
  httpError,
  rateLimited,
  stream,
  type RecordedRequest,
} from "@/e2e/fake-upstream/scenario";
import { startFakeUpstream, type FakeUpstream } from "@/e2e/fake-upstream/server";
import { ThinkpaneError, type ErrorPayload } from "@/lib/errors";
import { paramKeys } from "@/lib/params";
import type { TurnMetadata } from "@/lib/types";
import { POST } from "./route";
import { sseData } from "@/lib/testing/sse";
import { configureEnv, restoreEnv } from "@/lib/testing/env";

const API_KEY = "sk-route-TEST-4b8e1f0c9d2a";
const MODEL = "openai/gpt-oss-120b";
const IDLE_MS = 500;

let fake: FakeUpstream;
let control: FakeUpstreamControl;
/** Every response body of the test, checked for the key afterwards. */
let bodies: string[];
/** Every log line of the test, checked for the key afterwards. */
let logs: string[];

beforeAll(async () => {
  fake = await startFakeUpstream();
  control = new FakeUpstreamControl(fake.origin);
});

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => {
  configureEnv({
    AIMLAPI_BASE_URL: fake.baseURL,
    AIMLAPI_API_KEY: API_KEY,
    UPSTREAM_MAX_RETRIES: "0",
    UPSTREAM_IDLE_TIMEOUT_MS: String(IDLE_MS),
    UPSTREAM_CONNECT_TIMEOUT_MS: undefined,
    MAX_REQUEST_BYTES: undefined,
    THINKPANE_PROVIDERS: undefined,
    THINKPANE_DEFAULT_MODEL: undefined,
  });
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

type UIMessage = { id: string; role: "user" | "assistant"; parts: Record<string, unknown>[] };

const userMessage = (id: string, text: string): UIMessage => ({
  id,
  role: "user",
  parts: [{ type: "text", text }],
});

function chatBody(options: {
  key: string;
  params?: Record<string, unknown>;
  model?: string;
  system?: string;
  history?: UIMessage[];
  text?: string;
}) {
  return {
    id: "conv-1",
    messages: [
      ...(options.history ?? []),
      userMessage("u-last", `${tag(options.key)} ${options.text ?? "Say hello"}`),
    ],
    settings: {
      model: options.model ?? MODEL,
      ...(options.system !== undefined ? { system: options.system } : {}),
      params: options.params ?? {},
    },
    trigger: "submit-message",
  };
}

function chatRequest(
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Request {
  return new Request("http://localhost/api/chat", {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

async function send(
  body: unknown,
  init?: Parameters<typeof chatRequest>[1],
): Promise<{ response: Response; text: string }> {
  const response = await POST(chatRequest(body, init));
  const text = await response.text();
  bodies.push(text);
  return { response, text };
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

async function errorBody(response: Response, text: string): Promise<ErrorPayload> {
  expect(response.headers.get("content-type")).toBe("application/json");
  const json = JSON.parse(text) as { error: ErrorPayload };
  // The client rebuilds the same error from the text.
  expect(ThinkpaneError.fromText(text).code).toBe(json.error.code);
  return json.error;
}

async function recorded(key: string): Promise<RecordedRequest & { body: Record<string, unknown> }> {
  const request = await control.waitForRequest(key, { timeoutMs: 2_000 });
  return request as RecordedRequest & { body: Record<string, unknown> };
}

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
    const { response, text } = await send(chatBody({ key }));

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

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
    };
    expect(Object.keys(params).sort()).toEqual([...paramKeys].sort());
    const { response } = await send(chatBody({ key, params, system: "Be brief." }));
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
    expect(request.body).not.toHaveProperty("max_tokens");
    expect(request.body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: `${tag(key)} Say hello` },
    ]);
  });

  it("leaves unset parameters out of the upstream request", async () => {
    const key = uniqueKey("route-unset");
    await send(chatBody({ key, params: { temperature: 0, seed: 7 } }));
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

  it("does not send earlier turns' reasoning upstream", async () => {
    const key = uniqueKey("route-history");
    const history: UIMessage[] = [
      userMessage("u1", "Hi"),
      {
        id: "a1",
        role: "assistant",
        parts: [
          { type: "step-start" },
          { type: "reasoning", text: "PRIVATE-CHAIN-OF-THOUGHT", state: "done" },
          { type: "text", text: "Hello!", state: "done" },
        ],
      },
      userMessage("u2", "Solve this"),
      { id: "a2", role: "assistant", parts: [{ type: "reasoning", text: "STOPPED-MID-THOUGHT" }] },
    ];
    const { response } = await send(chatBody({ key, history }));
    expect(response.status).toBe(200);

    const request = await recorded(key);
    const messages = request.body.messages as Record<string, unknown>[];
    expect(messages).toEqual([
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello!" },
      { role: "user", content: "Solve this" },
      { role: "user", content: `${tag(key)} Say hello` },
    ]);
    for (const message of messages.filter((m) => m.role === "assistant")) {
      expect(message).not.toHaveProperty("reasoning_content");
      expect(message).not.toHaveProperty("reasoning");
    }
    const raw = JSON.stringify(request.body);
    expect(raw).not.toContain("PRIVATE-CHAIN-OF-THOUGHT");
    expect(raw).not.toContain("STOPPED-MID-THOUGHT");
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
      const parts = uiParts((await send(chatBody({ key }))).text);
      expect(joined(parts, "reasoning-delta")).toBe("Thinking");
      expect(joined(parts, "text-delta")).toBe("Answer");
      expect(parts.filter((p) => p.type === "reasoning-delta")).toHaveLength(2);
    },
  );

  it("splits a delta that carries reasoning and answer together (Cerebras style)", async () => {
    const key = uniqueKey("route-combined");
    await control.script(
      key,
      stream({ combined: true, reasoning: ["a", "b"], answer: ["c", "d"] }),
    );
    const parts = uiParts((await send(chatBody({ key }))).text);
    expect(joined(parts, "reasoning-delta")).toBe("ab");
    expect(joined(parts, "text-delta")).toBe("cd");
  });

  it("uses the default scenario text when nothing was scripted", async () => {
    const parts = uiParts((await send(chatBody({ key: uniqueKey("route-default") }))).text);
    expect(joined(parts, "reasoning-delta")).toBe(DEFAULT_REASONING.join(""));
    expect(joined(parts, "text-delta")).toBe(DEFAULT_ANSWER.join(""));
  });
});

describe("POST /api/chat: upstream failures become in-stream coded errors", () => {
  function streamError(parts: StreamPart[]): ThinkpaneError {
    const errors = parts.filter((p) => p.type === "error");
    expect(errors).toHaveLength(1);
    return ThinkpaneError.fromText(errors[0]?.errorText ?? "");
  }

  it("maps a 429 to upstream:rate_limited with the Retry-After delay", async () => {
    const key = uniqueKey("route-429");
    await control.script(key, rateLimited(7));
    const { response, text } = await send(chatBody({ key }));
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
    const { text } = await send(chatBody({ key }));
    const error = streamError(uiParts(text));
    expect(error.code).toBe("upstream:auth");
    expect(error.details.upstreamMessage).toContain("[redacted]");
    expect(error.message).toContain("AIMLAPI_API_KEY");
  });

  it("keeps the upstream's words for a 400 token-budget error", async () => {
    const key = uniqueKey("route-400");
    await control.script(
      key,
      httpError(400, errorBodies.openai("max_tokens or model output limit was reached")),
    );
    const error = streamError(
      uiParts((await send(chatBody({ key, params: { max_completion_tokens: 1 } }))).text),
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
    const parts = uiParts((await send(chatBody({ key }))).text);
    expect(joined(parts, "text-delta")).toBe("partial");
    const error = streamError(parts);
    expect(error.code).toBe("upstream:stream_error");
    expect(error.details.upstreamMessage).toBe("Provider returned error");
  });

  it("ends a stalled stream with upstream:stalled after the idle timeout", async () => {
    const key = uniqueKey("route-stall");
    await control.script(key, stream({ reasoning: ["r"], answer: ["partial"], stallAfter: 3 }));
    const started = Date.now();
    const parts = uiParts((await send(chatBody({ key }))).text);
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 20);
    expect(joined(parts, "text-delta")).toBe("partial");
    expect(streamError(parts).code).toBe("upstream:stalled");
    expect(mergedMetadata(parts).status).toBe("error");
    // The server closed the stalled upstream connection itself.
    expect((await control.waitForHangUp(key, { timeoutMs: 2_000 })).clientClosed).toBe(true);
  });

  it("maps a dropped connection to upstream:connection_lost", async () => {
    const key = uniqueKey("route-drop");
    await control.script(key, stream({ reasoning: ["r"], answer: ["partial"], dropAfter: 3 }));
    const parts = uiParts((await send(chatBody({ key }))).text);
    expect(joined(parts, "text-delta")).toBe("partial");
    expect(streamError(parts).code).toBe("upstream:connection_lost");
  });

  it("gives up with upstream:timeout when the upstream sends no headers in time", async () => {
    configureEnv({ UPSTREAM_CONNECT_TIMEOUT_MS: "150" });
    const key = uniqueKey("route-connect");
    await control.script(key, stream({ firstByteDelayMs: 1_000 }));
    const started = Date.now();
    const error = streamError(uiParts((await send(chatBody({ key }))).text));
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
    const error = streamError(uiParts((await send(chatBody({ key }))).text));
    expect(error.code).toBe("upstream:invalid_response");
    expect(error.details.upstreamStatus).toBe(307);
    expect(await control.requests(key)).toHaveLength(1);
  });

  it("maps a refused connection to upstream:unreachable", async () => {
    const closed = await startFakeUpstream();
    await closed.close();
    configureEnv({ AIMLAPI_BASE_URL: closed.baseURL });
    const error = streamError(
      uiParts((await send(chatBody({ key: uniqueKey("route-refused") }))).text),
    );
    expect(error.code).toBe("upstream:unreachable");
  });

  it("closes the upstream connection when the browser goes away (Stop)", async () => {
    const key = uniqueKey("route-stop");
    await control.script(
      key,
      stream({ delayMs: 150, reasoning: ["r"], answer: ["a", "b", "c", "d", "e", "f", "g", "h"] }),
    );
    const controller = new AbortController();
    const response = await POST(chatRequest(chatBody({ key }), { signal: controller.signal }));
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    // Stop once the answer is flowing, i.e. the upstream call is certainly open.
    while (!seen.includes('"type":"text-delta"')) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`stream ended before any answer: ${seen}`);
      seen += decoder.decode(value, { stream: true });
    }
    expect((await control.requests(key))[0]?.completed).toBe(false);
    // The request's signal alone (the body is still being read) must close the upstream call.
    controller.abort();
    const hungUp = await control.waitForHangUp(key, { timeoutMs: 2_000 });
    expect(hungUp.completed).toBe(false);
    await reader.cancel();
  });
});

describe("POST /api/chat: refused before any upstream call", () => {
  async function expectNoUpstreamCall(key: string) {
    expect(await control.requests(key)).toEqual([]);
  }

  it("refuses invalid params with a 400 naming the field", async () => {
    const key = uniqueKey("route-invalid");
    const { response, text } = await send(chatBody({ key, params: { temperature: 2.01 } }));
    expect(response.status).toBe(400);
    const error = await errorBody(response, text);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details?.field).toBe("settings.params.temperature");
    await expectNoUpstreamCall(key);
  });

  it("refuses unknown fields with a 400 naming them", async () => {
    const key = uniqueKey("route-unknown");
    const nested = await send(chatBody({ key, params: { max_tokens: 100 } }));
    expect(nested.response.status).toBe(400);
    expect((await errorBody(nested.response, nested.text)).details?.field).toBe(
      "settings.params.max_tokens",
    );

    const topLevel = await send({ ...chatBody({ key }), baseURL: "https://evil.example/v1" });
    expect(topLevel.response.status).toBe(400);
    const error = await errorBody(topLevel.response, topLevel.text);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details?.field).toBe("baseURL");
    await expectNoUpstreamCall(key);
  });

  it("refuses a conversation that does not end with the user's message", async () => {
    const key = uniqueKey("route-order");
    const body = chatBody({ key });
    body.messages.push({
      id: "a9",
      role: "assistant",
      parts: [{ type: "text", text: "I speak last" }],
    });
    const { response, text } = await send(body);
    expect(response.status).toBe(400);
    expect((await errorBody(response, text)).details?.field).toBe("messages");
    await expectNoUpstreamCall(key);
  });

  it("refuses a body over 1 MB with 413, declared or not", async () => {
    const key = uniqueKey("route-large");
    const huge = JSON.stringify(chatBody({ key, system: "x".repeat(1_100_000) }));
    const undeclared = await send(huge);
    expect(undeclared.response.status).toBe(413);
    expect((await errorBody(undeclared.response, undeclared.text)).code).toBe(
      "bad_request:too_large",
    );
    const declared = await send(huge, {
      headers: { "content-length": String(Buffer.byteLength(huge)) },
    });
    expect(declared.response.status).toBe(413);
    expect((await errorBody(declared.response, declared.text)).code).toBe("bad_request:too_large");
    await expectNoUpstreamCall(key);
  });

  it("refuses a non-JSON body", async () => {
    const { response, text } = await send("model=openai/gpt-oss-120b", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(400);
    expect((await errorBody(response, text)).code).toBe("bad_request:invalid_body");
    const broken = await send("{ not json");
    expect(broken.response.status).toBe(400);
    expect((await errorBody(broken.response, broken.text)).code).toBe("bad_request:invalid_body");
  });

  it("refuses an unknown model with bad_request:unknown_model", async () => {
    const key = uniqueKey("route-model");
    for (const model of ["gpt-4o", fake.baseURL]) {
      const { response, text } = await send(chatBody({ key, model }));
      expect(response.status).toBe(400);
      const error = await errorBody(response, text);
      expect(error.code).toBe("bad_request:unknown_model");
      expect(error.details?.field).toBe("settings.model");
    }
    await expectNoUpstreamCall(key);
  });

  it("answers 503 config:missing_key without a key, and calls nobody", async () => {
    configureEnv({ AIMLAPI_API_KEY: undefined });
    const key = uniqueKey("route-nokey");
    const { response, text } = await send(chatBody({ key }));
    expect(response.status).toBe(503);
    const error = await errorBody(response, text);
    expect(error.code).toBe("config:missing_key");
    expect(error.details?.envVar).toBe("AIMLAPI_API_KEY");
    await expectNoUpstreamCall(key);
  });

  it("answers 500 internal:unexpected when the server's configuration is broken", async () => {
    configureEnv({ THINKPANE_PROVIDERS: "[not json" });
    const key = uniqueKey("route-badenv");
    const { response, text } = await send(chatBody({ key }));
    expect(response.status).toBe(500);
    expect((await errorBody(response, text)).code).toBe("internal:unexpected");
    // The details of the misconfiguration stay in the log.
    expect(text).not.toContain("THINKPANE_PROVIDERS");
    await expectNoUpstreamCall(key);
  });
});
