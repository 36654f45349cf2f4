import { APICallError, type LanguageModelUsage, type TextStreamPart, type ToolSet } from "ai";
import { describe, expect, it, vi } from "vitest";
import { toThinkpaneError } from "./errors";
import { createTurnTracker, METADATA_KEY } from "./turn-metrics";

type Part = TextStreamPart<ToolSet>;

const STARTED_AT = 10_000;
const ctx = { providerLabel: "AI/ML API", envVar: "AIMLAPI_API_KEY", secrets: [] };

/** A clock the test moves by hand. */
function clock(start = STARTED_AT) {
  let t = start;
  return {
    now: () => t,
    set: (value: number) => {
      t = value;
    },
  };
}

function usage(options: {
  input?: number;
  cached?: number;
  reasoning?: number;
  text?: number;
  output?: number;
  total?: number;
}): LanguageModelUsage {
  return {
    inputTokens: options.input,
    inputTokenDetails: {
      noCacheTokens: undefined,
      cacheReadTokens: options.cached,
      cacheWriteTokens: undefined,
    },
    outputTokens: options.output,
    outputTokenDetails: { textTokens: options.text, reasoningTokens: options.reasoning },
    totalTokens: options.total,
  };
}

const reasoningDelta = (text: string): Part => ({ type: "reasoning-delta", id: "r0", text });
const textDelta = (text: string): Part => ({ type: "text-delta", id: "t0", text });

function finishStep(options: { costUsd?: number; headers?: Record<string, string> } = {}): Part {
  return {
    type: "finish-step",
    response: {
      id: "chatcmpl-1",
      timestamp: new Date(STARTED_AT),
      modelId: "openai/gpt-oss-120b",
      headers: options.headers,
    },
    usage: usage({}),
    finishReason: "stop",
    rawFinishReason: "stop",
    providerMetadata:
      options.costUsd === undefined ? undefined : { [METADATA_KEY]: { costUsd: options.costUsd } },
  };
}

function finish(
  totalUsage: LanguageModelUsage,
  rawFinishReason: string | undefined = "stop",
): Part {
  return { type: "finish", finishReason: "stop", rawFinishReason, totalUsage };
}

function tracker(now: () => number) {
  const mapError = vi.fn((error: unknown) => toThinkpaneError(error, ctx).toJSON());
  return {
    t: createTurnTracker({ model: "openai/gpt-oss-120b", startedAt: STARTED_AT, mapError, now }),
    mapError,
  };
}

describe("createTurnTracker", () => {
  it("times a full turn: reasoning, then answer, then totals with usage and cost", () => {
    const c = clock();
    const { t, mapError } = tracker(c.now);

    expect(t.onPart({ type: "start" })).toEqual({
      model: "openai/gpt-oss-120b",
      startedAt: STARTED_AT,
      status: "streaming",
    });
    expect(t.onPart({ type: "start-step", request: {}, warnings: [] })).toBeUndefined();
    expect(t.onPart({ type: "reasoning-start", id: "r0" })).toBeUndefined();

    c.set(STARTED_AT + 200);
    expect(t.onPart(reasoningDelta(""))).toBeUndefined(); // an empty delta is not the first token
    c.set(STARTED_AT + 250);
    expect(t.onPart(reasoningDelta("The user"))).toEqual({ firstReasoningMs: 250 });
    c.set(STARTED_AT + 400);
    expect(t.onPart(reasoningDelta(" greets me."))).toBeUndefined();

    c.set(STARTED_AT + 1250);
    expect(t.onPart(textDelta("Hello"))).toEqual({ firstAnswerMs: 1250, reasoningMs: 1000 });
    c.set(STARTED_AT + 1300);
    expect(t.onPart(textDelta(" there"))).toBeUndefined();

    expect(t.onPart(finishStep({ costUsd: 0.000123 }))).toBeUndefined();

    c.set(STARTED_AT + 2250);
    const totals = t.onPart(
      finish(usage({ input: 84, cached: 16, reasoning: 40, text: 60, output: 100, total: 184 })),
    );
    expect(totals).toEqual({
      totalMs: 2250,
      // 100 output tokens over the 2 s from the first reasoning token to the end.
      tokensPerSecond: 50,
      usage: {
        promptTokens: 84,
        cachedPromptTokens: 16,
        reasoningTokens: 40,
        answerTokens: 60,
        totalTokens: 184,
      },
      costUsd: 0.000123,
      finishReason: "stop",
      status: "done",
    });
    expect(mapError).not.toHaveBeenCalled();
  });

  it("counts from the first answer token when there is no reasoning", () => {
    const c = clock();
    const { t } = tracker(c.now);
    t.onPart({ type: "start" });
    c.set(STARTED_AT + 300);
    expect(t.onPart(textDelta("Hi"))).toEqual({ firstAnswerMs: 300 });
    c.set(STARTED_AT + 800);
    const totals = t.onPart(
      finish(usage({ input: 5, output: 10, text: 10, total: 15 }), undefined),
    );
    expect(totals).toMatchObject({
      totalMs: 800,
      tokensPerSecond: 20,
      finishReason: "stop",
      status: "done",
    });
    expect(totals).not.toHaveProperty("reasoningMs");
    expect(totals).not.toHaveProperty("costUsd");
    expect(totals?.usage).toEqual({
      promptTokens: 5,
      cachedPromptTokens: undefined,
      reasoningTokens: undefined,
      answerTokens: 10,
      totalTokens: 15,
    });
  });

  it("reports reasoning time up to the end when the turn never answered", () => {
    const c = clock();
    const { t } = tracker(c.now);
    c.set(STARTED_AT + 100);
    t.onPart(reasoningDelta("thinking"));
    c.set(STARTED_AT + 1600);
    const totals = t.onPart(finish(usage({ output: 30, reasoning: 30 }), "length"));
    expect(totals).toMatchObject({
      totalMs: 1600,
      reasoningMs: 1500,
      tokensPerSecond: 20,
      finishReason: "length",
    });
  });

  it("leaves out the rate when nothing was generated or output tokens are unknown", () => {
    const c = clock();
    const { t } = tracker(c.now);
    c.set(STARTED_AT + 500);
    expect(t.onPart(finish(usage({ output: 0 })))).not.toHaveProperty("tokensPerSecond");
    const second = tracker(c.now).t;
    c.set(STARTED_AT + 600);
    second.onPart(textDelta("x"));
    c.set(STARTED_AT + 900);
    expect(second.onPart(finish(usage({})))).not.toHaveProperty("tokensPerSecond");
  });

  it("takes the cost from the x-aimlapi-usd-spent header when the body has none", () => {
    const c = clock();
    const { t } = tracker(c.now);
    t.onPart(finishStep({ headers: { "x-aimlapi-usd-spent": "0.0042", "x-inference-id": "abc" } }));
    expect(t.onPart(finish(usage({})))).toMatchObject({ costUsd: 0.0042 });
  });

  it("prefers the body's cost over the header, and ignores a non-numeric header", () => {
    const c = clock();
    const both = tracker(c.now).t;
    both.onPart(finishStep({ costUsd: 0.5, headers: { "x-aimlapi-usd-spent": "0.9" } }));
    expect(both.onPart(finish(usage({})))).toMatchObject({ costUsd: 0.5 });

    const garbled = tracker(c.now).t;
    garbled.onPart(finishStep({ headers: { "x-aimlapi-usd-spent": "n/a" } }));
    expect(garbled.onPart(finish(usage({})))).not.toHaveProperty("costUsd");
  });

  it("keeps the last known cost across steps", () => {
    const c = clock();
    const { t } = tracker(c.now);
    t.onPart(finishStep({ costUsd: 0.001 }));
    t.onPart(finishStep({}));
    expect(t.onPart(finish(usage({})))).toMatchObject({ costUsd: 0.001 });
  });

  it("turns an error part into status error with the mapped payload, and ends the turn as error", () => {
    const c = clock();
    const { t, mapError } = tracker(c.now);
    t.onPart({ type: "start" });
    const upstreamError = new APICallError({
      message: "rate limited",
      url: "https://api.aimlapi.com/v1/chat/completions",
      requestBodyValues: {},
      statusCode: 429,
      responseHeaders: { "retry-after": "7" },
      responseBody: JSON.stringify({ message: "Too Many Requests", statusCode: 429 }),
    });
    const metadata = t.onPart({ type: "error", error: upstreamError });
    expect(mapError).toHaveBeenCalledWith(upstreamError);
    expect(metadata?.status).toBe("error");
    expect(metadata?.error?.code).toBe("upstream:rate_limited");
    expect(metadata?.error?.details).toMatchObject({ retryAfterSeconds: 7, upstreamStatus: 429 });

    c.set(STARTED_AT + 50);
    expect(t.onPart(finish(usage({}), "error"))).toMatchObject({ status: "error", totalMs: 50 });
  });

  it("checks a JSON answer at the end against the request's response_format", () => {
    const mapError = vi.fn();
    const responseFormat = {
      type: "json_schema",
      json_schema: { name: "city", schema: { type: "object", required: ["name"] } },
    };
    const run = (pieces: string[], reason = "stop", format: unknown = responseFormat) => {
      const t = createTurnTracker({ model: "m", startedAt: 0, mapError, responseFormat: format });
      t.onPart(reasoningDelta("Thinking."));
      for (const piece of pieces) t.onPart(textDelta(piece));
      return t.onPart(finish(usage({}), reason));
    };
    expect(run(['{"name":', ' "Oslo"}'])).toMatchObject({
      schemaCheck: { valid: true, kind: "valid", parsed: { name: "Oslo" } },
    });
    expect(run(['{"name":'], "length")).toMatchObject({ schemaCheck: { kind: "length" } });
    expect(run(["{}"])).toMatchObject({
      schemaCheck: { kind: "schema", errors: [{ path: "$.name" }] },
    });
    expect(run(["{}"], "stop", { type: "text" })).not.toHaveProperty("schemaCheck");
    expect(run(["{}"], "stop", null)).not.toHaveProperty("schemaCheck");
  });

  it("ignores parts that carry nothing to report", () => {
    const { t } = tracker(clock().now);
    const quiet: Part[] = [
      { type: "text-start", id: "t0" },
      { type: "text-end", id: "t0" },
      { type: "reasoning-end", id: "r0" },
      { type: "raw", rawValue: {} },
      { type: "abort" },
    ];
    for (const part of quiet) expect(t.onPart(part)).toBeUndefined();
  });
});
