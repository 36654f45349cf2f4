import { describe, expect, it } from "vitest";
import { decodeLines, linesSize, MAX_EXCHANGE_BYTES } from "@/lib/inspect/exchange";
import { createExchangeRecorder, createLineBuffer } from "./recorder";
import type { ResolvedModel } from "./registry";

const KEY = "sk-recorder-secret-1234";

const model: ResolvedModel = {
  id: "openai/gpt-oss-120b",
  label: "gpt-oss-120b",
  upstreamId: "openai/gpt-oss-120b",
  provider: {
    id: "aimlapi",
    label: "AI/ML API",
    baseURL: "http://upstream.invalid/v1",
    baseURLEnv: "AIMLAPI_BASE_URL",
    structuredOutputs: "best-effort",
    reasoningField: "reasoning",
  },
  apiKey: KEY,
};

const encoder = new TextEncoder();

/** A body that sends `pieces` one by one, each when the reader asks. */
function body(pieces: string[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(encoder.encode(pieces[i++]));
      else controller.close();
    },
  });
}

const sse = (pieces: string[], headers: Record<string, string> = {}) =>
  new Response(body(pieces), {
    status: 200,
    headers: { "content-type": "text/event-stream", ...headers },
  });

async function readAll(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

const REQUEST = {
  method: "POST",
  headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
  body: JSON.stringify({ model: "openai/gpt-oss-120b", messages: [], temperature: 0.3 }),
};

describe("createExchangeRecorder", () => {
  it("passes the stream on byte for byte and keeps its lines with their times", async () => {
    let clock = 1_000;
    const recorder = createExchangeRecorder({ model, now: () => clock });
    const pieces = [
      'data: {"choices":[{"delta":{"reasoning_content":"Hm"}}]}\n\n',
      'data: {"choices":[{"delta":{"content":"Hi"}}]}\n',
      "\n: keep-alive\r\n\ndata: [DO",
      "NE]\n\n",
    ];
    const fetch = recorder.wrap(async () => {
      clock += 40;
      return sse(pieces, { "set-cookie": "a=b", "x-inference-id": "inf-1" });
    });
    const response = await fetch("http://upstream.invalid/v1/chat/completions", REQUEST);
    const reader = response.body!.getReader();
    const received: string[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      received.push(new TextDecoder().decode(next.value));
      clock += 10;
    }
    expect(received.join("")).toBe(pieces.join(""));

    const exchange = await recorder.finish();
    expect(exchange.request.body).toEqual({
      model: "openai/gpt-oss-120b",
      messages: [],
      temperature: 0.3,
    });
    expect(JSON.stringify(exchange)).not.toContain(KEY);
    expect(exchange.attempts).toEqual([
      {
        atMs: 0,
        waitMs: 0,
        status: 200,
        headersMs: 40,
        headers: { "content-type": "text/event-stream", "x-inference-id": "inf-1" },
      },
    ]);
    expect(decodeLines(exchange).map((l) => [l.ms, l.text])).toEqual([
      [40, 'data: {"choices":[{"delta":{"reasoning_content":"Hm"}}]}'],
      [50, 'data: {"choices":[{"delta":{"content":"Hi"}}]}'],
      [60, ": keep-alive"],
      [70, "data: [DONE]"],
    ]);
    expect(exchange.end).toEqual({ ms: 80, reason: "done" });
  });

  it("records what decided whether reasoning went back: the provider's field and the switch", async () => {
    const off = await createExchangeRecorder({ model, inToolLoops: false }).finish();
    expect(off.reasoningBack).toEqual({ field: "reasoning", inToolLoops: false });
    const none = await createExchangeRecorder({
      model: { ...model, provider: { ...model.provider, reasoningField: "none" } },
      inToolLoops: true,
    }).finish();
    expect(none.reasoningBack).toEqual({ field: "none", inToolLoops: true });
    expect((await createExchangeRecorder({ model }).finish()).reasoningBack).toBeUndefined();
  });

  it("hands each chunk on before reading it: the first token waits for nothing", async () => {
    const recorder = createExchangeRecorder({ model });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: {"choices":[{"delta":{"content":"first"}}]}\n\n'));
      },
      async pull(controller) {
        await held;
        controller.close();
      },
    });
    const fetch = recorder.wrap(
      async () => new Response(slow, { headers: { "content-type": "text/event-stream" } }),
    );
    const reader = (await fetch("http://x.invalid", REQUEST)).body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("first");
    release();
    await reader.read();
  });

  it("records each attempt of a retry with its status, wait and error body, key redacted", async () => {
    let clock = 0;
    const recorder = createExchangeRecorder({ model, now: () => clock });
    const answers = [
      () =>
        new Response(JSON.stringify({ message: `Too Many Requests for key ${KEY}` }), {
          status: 429,
          headers: { "content-type": "application/json", "retry-after": "1" },
        }),
      () => sse(["data: [DONE]\n\n"]),
    ];
    const fetch = recorder.wrap(async () => answers.shift()!());
    const first = await fetch("http://x.invalid", REQUEST);
    expect(await first.text()).toContain(KEY); // the caller's copy is untouched
    clock += 1_500;
    await readAll(await fetch("http://x.invalid", REQUEST));
    const exchange = await recorder.finish();
    expect(exchange.attempts.map(({ atMs, waitMs, status }) => ({ atMs, waitMs, status }))).toEqual(
      [
        { atMs: 0, waitMs: 0, status: 429 },
        { atMs: 1_500, waitMs: 1_500, status: 200 },
      ],
    );
    expect(exchange.attempts[0]?.headers?.["retry-after"]).toBe("1");
    expect(exchange.attempts[0]?.body).toBe('{"message":"Too Many Requests for key [redacted]"}');
    expect(JSON.stringify(exchange)).not.toContain(KEY);
  });

  it("redacts the key in echoed stream lines and headers, and records a transport failure", async () => {
    const recorder = createExchangeRecorder({ model });
    const fetch = recorder.wrap(async () =>
      sse([`data: {"error":{"message":"bad key ${KEY}"}}\n\n`], { "x-echo": KEY }),
    );
    await readAll(await fetch("http://x.invalid", REQUEST));
    const refused = recorder.wrap(async () => {
      throw new TypeError(`fetch failed for ${KEY}`);
    });
    await expect(refused("http://x.invalid", REQUEST)).rejects.toThrow();
    const exchange = await recorder.finish();
    expect(JSON.stringify(exchange)).not.toContain(KEY);
    expect(exchange.attempts[1]?.error).toBe("fetch failed for [redacted]");
    expect(decodeLines(exchange)[0]?.text).toContain("bad key [redacted]");
  });

  it("scrubs key-like text that is not the configured key from error bodies and failures", async () => {
    const other = "sk-proj-Zx8Qm2Lp9Rt4Vw7Yb3Nc6Hd1";
    const recorder = createExchangeRecorder({ model });
    const answers = [
      () =>
        new Response(
          JSON.stringify({ error: { message: `Incorrect API key provided: ${other}` } }),
          {
            status: 401,
            headers: { "content-type": "application/json" },
          },
        ),
    ];
    await recorder.wrap(async () => answers.shift()!())("http://x.invalid", REQUEST);
    await expect(
      recorder.wrap(async () => {
        throw new TypeError("fetch failed: https://proxy.example/?token=AbC123xYz789");
      })("http://x.invalid", REQUEST),
    ).rejects.toThrow();
    const streamed = recorder.wrap(async () =>
      sse([`data: {"error":{"message":"bad key ${other}"}}\n\n`]),
    );
    await readAll(await streamed("http://x.invalid", REQUEST));
    const exchange = await recorder.finish();
    const stored = JSON.stringify(exchange);
    expect(stored).not.toContain(other);
    expect(stored).not.toContain("AbC123xYz789");
    expect(exchange.attempts[0]?.body).toContain("[redacted]");
  });

  it("records an aborted stream as aborted", async () => {
    const recorder = createExchangeRecorder({ model });
    const fetch = recorder.wrap(async () => sse(["data: {}\n\n", "data: {}\n\n"]));
    const reader = (await fetch("http://x.invalid", REQUEST)).body!.getReader();
    await reader.read();
    await reader.cancel();
    expect((await recorder.finish()).end?.reason).toBe("aborted");
  });
});

describe("createLineBuffer (the ~2 MB bound)", () => {
  const line = (i: number) =>
    `data: {"id":"chatcmpl-abcdef","object":"chat.completion.chunk","created":1762855698,"model":"openai/gpt-oss-120b","choices":[{"index":0,"delta":{"content":"token ${i}"},"finish_reason":null}]}`;

  it("keeps a 40,000-chunk stream whole: front coding puts it well under the bound", () => {
    const buffer = createLineBuffer();
    let raw = 0;
    for (let i = 0; i < 40_000; i++) {
      buffer.add(i, line(i));
      raw += line(i).length;
    }
    const result = buffer.result();
    expect(raw).toBeGreaterThan(MAX_EXCHANGE_BYTES * 3);
    expect(result.omitted).toBeUndefined();
    expect(result.lines).toHaveLength(40_000);
    expect(linesSize(result.lines)).toBeLessThan(MAX_EXCHANGE_BYTES);
    expect(decodeLines(result).at(-1)).toEqual({ ms: 39_999, text: line(39_999) });
  });

  it("past the bound keeps the start and the end, and counts what it left out", () => {
    const buffer = createLineBuffer(10_000);
    // Lines that share little with each other cost their whole length.
    const random = (i: number) => `data: ${i} ${Math.random().toString(36).repeat(8)}`;
    const sent = Array.from({ length: 2_000 }, (_, i) => random(i));
    sent.forEach((text, i) => buffer.add(i, text));
    const result = buffer.result();
    const kept = decodeLines(result);
    const { after, lines } = result.omitted!;
    expect(after).toBeGreaterThan(10);
    expect(kept.length + lines).toBe(2_000);
    expect(kept.slice(0, after).map((l) => l.text)).toEqual(sent.slice(0, after));
    expect(kept.slice(after).map((l) => l.text)).toEqual(sent.slice(after + lines));
    expect(kept.at(-1)?.text).toBe(sent.at(-1));
    expect(linesSize(result.lines)).toBeLessThanOrEqual(20_000 + 200);
    expect(result.omitted!.bytes).toBe(
      sent.slice(after, after + lines).reduce((n, t) => n + t.length, 0),
    );
  });

  it("bounds a line repeated without end by its decoded size too", () => {
    const buffer = createLineBuffer(10_000);
    const long = `data: ${"x".repeat(10_000)}`;
    for (let i = 0; i < 1_000; i++) buffer.add(i, long);
    const result = buffer.result();
    expect(result.omitted?.lines).toBeGreaterThan(900);
    expect(decodeLines(result).length).toBeLessThan(100);
  });
});
