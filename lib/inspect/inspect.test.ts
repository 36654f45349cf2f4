import { describe, expect, it } from "vitest";
import { assembleResponse, upstreamFailure } from "./assemble";
import { parseLine } from "./chunks";
import {
  decodeLines,
  encodeLines,
  type Exchange,
  exchangeSchema,
  linesSize,
  MAX_EXCHANGE_BYTES,
  sharedEnds,
} from "./exchange";
import { buildTimeline } from "./timeline";

const envelope = (delta: object, extra: object = {}) =>
  `data: ${JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1762855698,
    model: "openai/gpt-oss-20b",
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  })}`;

/** The recorded shape of the spec (llama.cpp serving gpt-oss-20b), plus AI/ML API's meta. */
const STREAM = [
  envelope({ role: "assistant", content: null }),
  envelope({ reasoning_content: "The" }),
  envelope({ reasoning_content: " user" }),
  envelope({ content: "Olá" }),
  `data: ${JSON.stringify({ id: "chatcmpl-1", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}`,
  `data: ${JSON.stringify({
    id: "chatcmpl-1",
    choices: [],
    usage: { completion_tokens: 57, prompt_tokens: 84, total_tokens: 141 },
    meta: { usage: { usd_spent: 0.0001 } },
  })}`,
  "data: [DONE]",
];

describe("front-coded lines", () => {
  it("decode to exactly what was encoded, and store far less than the raw text", () => {
    const lines = STREAM.map((text, i) => ({ ms: i * 10, text }));
    const stored = encodeLines(lines);
    expect(decodeLines({ lines: stored })).toEqual(lines);
    const raw = STREAM.reduce((n, line) => n + line.length, 0);
    expect(linesSize(stored)).toBeLessThan(raw * 0.6);
    expect(stored[2]).toHaveLength(4);
  });

  it("never split a surrogate pair (PostgreSQL's jsonb refuses half of one)", () => {
    const a = 'data: {"content":"😀 end of the line here"}';
    const b = 'data: {"content":"😃 end of the line here"}';
    const { prefix } = sharedEnds(a, b);
    expect(a.charCodeAt(prefix - 1)).not.toBeGreaterThanOrEqual(0xd800);
    const stored = encodeLines([
      { ms: 0, text: a },
      { ms: 1, text: b },
    ]);
    const middle = stored[1]!.length === 4 ? stored[1]![3] : stored[1]![1];
    expect(middle.startsWith("😃")).toBe(true);
    expect(decodeLines({ lines: stored }).map((l) => l.text)).toEqual([a, b]);
  });

  it("restart after lines left out: the line after the gap is whole", () => {
    const lines = STREAM.map((text, i) => ({ ms: i, text }));
    const stored = encodeLines(lines, 3);
    expect(stored[3]).toEqual([3, STREAM[3]]);
    expect(decodeLines({ lines: stored, omitted: { after: 3, lines: 9, bytes: 900 } })).toEqual(
      lines,
    );
  });

  it("refuse lines that refer past their predecessor", () => {
    expect(() =>
      decodeLines({
        lines: [
          [0, "abc"],
          [1, 2, 5, "x"],
        ],
      }),
    ).toThrow(/line 2/);
  });
});

const exchange = (over: Partial<Exchange> = {}): Exchange => ({
  version: 1,
  provider: { id: "aimlapi", label: "AI/ML API" },
  model: { id: "openai/gpt-oss-120b", upstreamId: "openai/gpt-oss-120b" },
  startedAt: new Date(0).toISOString(),
  request: { body: { model: "openai/gpt-oss-120b", messages: [] } },
  attempts: [{ atMs: 0, waitMs: 0, status: 200, headers: { "content-type": "text/event-stream" } }],
  lines: encodeLines(STREAM.map((text, i) => ({ ms: i, text }))),
  ...over,
});

describe("exchangeSchema (import)", () => {
  it("accepts what the recorder writes", () => {
    expect(exchangeSchema.safeParse(exchange()).success).toBe(true);
  });

  it("refuses lines over the bound, unknown fields, and lines that do not decode", () => {
    const big = exchange({
      lines: [
        [0, "x".repeat(MAX_EXCHANGE_BYTES)],
        [1, "y".repeat(300_000)],
      ],
    });
    expect(exchangeSchema.safeParse(big).error?.issues[0]?.path).toEqual(["lines"]);
    expect(exchangeSchema.safeParse({ ...exchange(), extra: 1 }).success).toBe(false);
    const broken = exchange({
      lines: [
        [0, "a"],
        [1, 5, 5, "b"],
      ],
    });
    expect(exchangeSchema.safeParse(broken).error?.issues[0]?.message).toMatch(/refers past/);
  });

  it("refuses a file whose lines would decode to gigabytes (a repeated long line)", () => {
    const long = "z".repeat(1_000_000);
    const lines: Exchange["lines"] = [[0, long]];
    for (let i = 1; i < 40; i++) lines.push([i, long.length, 0, ""]);
    expect(exchangeSchema.safeParse(exchange({ lines })).error?.issues[0]?.message).toMatch(
      /larger than allowed/,
    );
  });
});

describe("labels", () => {
  it("name every kind of line", () => {
    expect(STREAM.map((line) => parseLine(line).labels)).toEqual([
      ["role"],
      ["reasoning"],
      ["reasoning"],
      ["content"],
      ["finish"],
      ["usage"],
      ["done"],
    ]);
    expect(parseLine(": OPENROUTER PROCESSING").labels).toEqual(["comment"]);
    expect(parseLine('data: {"choices":[{"de').labels).toEqual(["invalid"]);
    expect(
      parseLine(
        'data: {"error":{"message":"boom"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}',
      ).labels,
    ).toEqual(["error"]);
    expect(
      parseLine(
        envelope({ tool_calls: [{ index: 0, id: "c1", function: { name: "f", arguments: "{" } }] }),
      ).labels,
    ).toEqual(["tool call"]);
  });

  it("read reasoning under either field, once for OpenRouter's duplicate, and both halves of a Cerebras delta", () => {
    expect(parseLine(envelope({ reasoning: "r" })).reasoning).toEqual({
      text: "r",
      field: "reasoning",
    });
    const openrouter = parseLine(
      envelope({
        role: "assistant",
        content: "",
        reasoning: "r",
        reasoning_details: [{ type: "reasoning.text", text: "r" }],
      }),
    );
    expect(openrouter.reasoning?.text).toBe("r");
    expect(openrouter.labels).toEqual(["reasoning"]);
    expect(parseLine(envelope({ reasoning_content: "end", content: "Start" })).labels).toEqual([
      "reasoning",
      "content",
    ]);
  });
});

describe("assembleResponse", () => {
  it("rebuilds the non-streamed response: message, finish_reason, usage and meta", () => {
    const response = assembleResponse(STREAM.map(parseLine));
    expect(response).toEqual({
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 1762855698,
      model: "openai/gpt-oss-20b",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Olá", reasoning_content: "The user" },
          finish_reason: "stop",
        },
      ],
      usage: { completion_tokens: 57, prompt_tokens: 84, total_tokens: 141 },
      meta: { usage: { usd_spent: 0.0001 } },
    });
  });

  it("merges tool-call arguments that arrive in pieces, by index", () => {
    const chunks = [
      envelope({
        tool_calls: [
          {
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: "" },
          },
        ],
      }),
      envelope({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      envelope({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
    ].map(parseLine);
    expect(assembleResponse(chunks)?.choices[0]?.message.tool_calls).toEqual([
      {
        id: "call_1",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      },
    ]);
  });
});

describe("upstreamFailure", () => {
  it("is the last attempt's error body, parsed, and nothing once a retry got through", () => {
    const failed = exchange({
      lines: [],
      attempts: [{ atMs: 0, waitMs: 0, status: 401, body: '{"message":"no key [redacted]"}' }],
    });
    expect(upstreamFailure(failed, [])).toEqual({
      status: 401,
      body: { message: "no key [redacted]" },
    });
    const retried = exchange({
      attempts: [
        { atMs: 0, waitMs: 0, status: 429, body: "slow down" },
        { atMs: 900, waitMs: 880, status: 200 },
      ],
    });
    expect(upstreamFailure(retried, STREAM.map(parseLine))).toBeUndefined();
  });

  it("is the error inside a 200 stream when there is one", () => {
    const chunks = ['data: {"error":{"code":502,"message":"Provider down"},"choices":[]}'].map(
      parseLine,
    );
    expect(upstreamFailure(exchange(), chunks)).toEqual({
      body: { error: { code: 502, message: "Provider down" } },
    });
  });
});

describe("buildTimeline", () => {
  it("marks first reasoning, first answer, end of reasoning and end, and the gaps of 250 ms or more", () => {
    const times = [100, 120, 700, 710, 720, 730, 735];
    const lines = times.map((ms) => ({ ms }));
    const timeline = buildTimeline(lines, STREAM.map(parseLine), { endMs: 740 });
    expect(timeline.marks).toEqual([
      { name: "First reasoning token", ms: 120 },
      { name: "First answer token", ms: 710 },
      { name: "End of reasoning", ms: 700 },
      { name: "End", ms: 740 },
    ]);
    expect(timeline.gaps).toEqual([{ fromMs: 120, toMs: 700, ms: 580, before: 2 }]);
    expect(timeline.lanes.reasoning).toEqual([
      { fromMs: 120, toMs: 120, chunks: 1 },
      { fromMs: 700, toMs: 700, chunks: 1 },
    ]);
    expect(timeline.lanes.answer).toEqual([{ fromMs: 710, toMs: 710, chunks: 1 }]);
  });

  it("sees no stall across lines left out", () => {
    const lines = [{ ms: 0 }, { ms: 10 }, { ms: 5_000 }];
    expect(buildTimeline(lines, [], { omittedAfter: 2 }).gaps).toEqual([]);
  });
});
