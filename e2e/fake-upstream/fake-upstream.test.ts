/**
 * Proves the fake upstream speaks the wire format of /work/shared/spec/upstream-api.md, using the
 * official `openai` client where a real consumer would, and raw fetch where bytes matter.
 */
import OpenAI, { APIError } from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeUpstreamControl, tag, uniqueKey } from "./client";
import {
  DEFAULT_ANSWER,
  DEFAULT_REASONING,
  aimlapiMessages,
  errorBodies,
  httpError,
  parseScenario,
  rateLimited,
  sequence,
  stream,
  type ErrorScenario,
} from "./scenario";
import { generateMarkdown } from "./markdown";
import { extractKey, startFakeUpstream, type FakeUpstream } from "./server";
import {
  finalAnswerScenario,
  harmonyLeakScenario,
  invalidArgumentsScenario,
  toolCallScenario,
  twoCallsScenario,
} from "./tools";

const MODEL = "openai/gpt-oss-120b";

/** The non-standard delta fields a reasoning server adds. */
type ReasoningDelta = {
  role?: string;
  content?: string | null;
  reasoning_content?: string;
  reasoning?: string;
  reasoning_details?: { type: string; text: string }[];
};
type AimlapiMeta = { meta?: { usage: { usd_spent: number; credits_used?: number } } };

let upstream: FakeUpstream;
let control: FakeUpstreamControl;
let openai: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  control = new FakeUpstreamControl(upstream.origin);
  // No retries: a 429 with Retry-After: 7 would otherwise make the client wait 7 s.
  openai = new OpenAI({ apiKey: "test", baseURL: upstream.baseURL, maxRetries: 0 });
});

afterAll(async () => {
  await upstream?.close();
});

const userMessage = (key: string, text = "Say hello") => ({
  role: "user" as const,
  content: `${tag(key)} ${text}`,
});

function ask(key: string) {
  return openai.chat.completions.create({
    model: MODEL,
    messages: [userMessage(key)],
    stream: true,
    stream_options: { include_usage: true },
  });
}

async function collect(chunks: AsyncIterable<ChatCompletionChunk>) {
  const all: ChatCompletionChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  const deltas = all.flatMap((chunk) =>
    chunk.choices.map((choice) => choice.delta as ReasoningDelta),
  );
  const join = (pick: (delta: ReasoningDelta) => string | null | undefined) =>
    deltas.map((delta) => pick(delta) ?? "").join("");
  return {
    chunks: all,
    deltas,
    content: join((d) => d.content),
    reasoningContent: join((d) => d.reasoning_content),
    reasoning: join((d) => d.reasoning),
    details: join((d) => d.reasoning_details?.map((detail) => detail.text).join("")),
  };
}

/** A raw POST, so tests can look at bytes, headers and connection behaviour. */
function post(
  key: string | undefined,
  extra: Record<string, unknown> = {},
  init: RequestInit = {},
) {
  return fetch(`${upstream.baseURL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer raw-key" },
    body: JSON.stringify({
      model: MODEL,
      messages: [key ? userMessage(key) : { role: "user", content: "no tag here" }],
      stream: true,
      ...extra,
    }),
    ...init,
  });
}

/** The payloads of the `data:` events in raw SSE text. */
const dataEvents = (text: string) =>
  text
    .split("\n\n")
    .filter((event) => event.startsWith("data: "))
    .map((event) => event.slice("data: ".length));

/** Reads until `enough(text)` holds; the reader stays usable afterwards. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  enough: (text: string) => boolean,
) {
  const decoder = new TextDecoder();
  let text = "";
  while (!enough(text)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended early: ${text}`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

/** Reads a body to its end; the promise rejects if the connection dies first. */
async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, sink: { text: string }) {
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    sink.text += decoder.decode(value, { stream: true });
  }
}

describe("streaming through the official openai client", () => {
  it("delivers reasoning_content, content, the usage chunk and AI/ML API meta", async () => {
    const key = uniqueKey("basic");
    await control.script(
      key,
      stream({
        reasoning: ["Think", "ing..."],
        answer: ["Hel", "lo", "!"],
        usage: { prompt_tokens: 84, completion_tokens: 57, reasoning_tokens: 40 },
        meta: { usd_spent: 0.000123, credits_used: 258 },
      }),
    );

    const result = await collect(await ask(key));

    expect(result.deltas[0]).toEqual({ role: "assistant", content: null });
    expect(result.reasoningContent).toBe("Thinking...");
    expect(result.content).toBe("Hello!");
    expect(result.reasoning).toBe(""); // only the chosen field is used
    const finish = result.chunks.at(-2);
    expect(finish?.choices[0]?.finish_reason).toBe("stop");
    expect(finish?.choices[0]?.delta).toEqual({});

    const last = result.chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.model).toBe(MODEL);
    expect(last?.usage).toEqual({
      prompt_tokens: 84,
      completion_tokens: 57,
      total_tokens: 141,
      completion_tokens_details: { reasoning_tokens: 40 },
    });
    expect((last as AimlapiMeta).meta?.usage).toEqual({ usd_spent: 0.000123, credits_used: 258 });
    // Every chunk shares one id and echoes the requested model.
    expect(new Set(result.chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(result.chunks.every((chunk) => chunk.object === "chat.completion.chunk")).toBe(true);
  });

  it("uses defaults for an unscripted key and computes usage from the piece counts", async () => {
    const result = await collect(await ask(uniqueKey("unscripted")));
    expect(result.reasoningContent).toBe(DEFAULT_REASONING.join(""));
    expect(result.content).toBe(DEFAULT_ANSWER.join(""));
    const usage = result.chunks.at(-1)?.usage;
    expect(usage?.completion_tokens).toBe(DEFAULT_REASONING.length + DEFAULT_ANSWER.length);
    expect(usage?.completion_tokens_details?.reasoning_tokens).toBe(DEFAULT_REASONING.length);
    expect((result.chunks.at(-1) as AimlapiMeta).meta).toBeUndefined();
  });

  it("sends no usage chunk unless asked for (or scripted), and never with usage: false", async () => {
    const plain = await openai.chat.completions.create({
      model: MODEL,
      messages: [userMessage(uniqueKey())],
      stream: true,
    });
    const plainChunks = (await collect(plain)).chunks;
    expect(plainChunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    expect(plainChunks.some((chunk) => chunk.usage)).toBe(false);

    const key = uniqueKey("nousage");
    await control.script(key, stream({ usage: false, meta: { usd_spent: 1 } }));
    const chunks = (await collect(await ask(key))).chunks;
    expect(chunks.some((chunk) => chunk.choices.length === 0)).toBe(false);
  });

  it("puts reasoning in `reasoning` for the Groq/Ollama/vLLM variant", async () => {
    const key = uniqueKey("reasoning");
    await control.script(
      key,
      stream({ reasoningField: "reasoning", reasoning: ["a", "b"], answer: ["c"] }),
    );
    const result = await collect(await ask(key));
    expect(result.reasoning).toBe("ab");
    expect(result.reasoningContent).toBe("");
    expect(result.details).toBe("");
    expect(result.content).toBe("c");
  });

  it("carries the same text in `reasoning` and `reasoning_details` for the OpenRouter variant", async () => {
    const key = uniqueKey("openrouter");
    await control.script(
      key,
      stream({ reasoningField: "openrouter", reasoning: ["Let me ", "see."], answer: ["Yes."] }),
    );
    const result = await collect(await ask(key));
    expect(result.reasoning).toBe("Let me see.");
    expect(result.details).toBe("Let me see.");
    expect(result.reasoningContent).toBe("");
    expect(result.content).toBe("Yes.");
    const withReasoning = result.deltas.filter((delta) => delta.reasoning !== undefined);
    for (const delta of withReasoning) {
      expect(delta.reasoning_details).toEqual([
        expect.objectContaining({ type: "reasoning.text", text: delta.reasoning }),
      ]);
    }
  });

  it("merges the last reasoning piece and the first answer piece in one delta (Cerebras)", async () => {
    const key = uniqueKey("combined");
    await control.script(
      key,
      stream({ combined: true, reasoning: ["r1", "r2"], answer: ["a1", "a2"] }),
    );
    const result = await collect(await ask(key));
    expect(result.deltas).toContainEqual({ reasoning_content: "r2", content: "a1" });
    expect(result.reasoningContent).toBe("r1r2");
    expect(result.content).toBe("a1a2");
  });

  it("interleaves SSE comments that the openai client ignores", async () => {
    const key = uniqueKey("comments");
    await control.script(
      key,
      stream({ comments: true, reasoning: ["x"], answer: ["one", " two"] }),
    );

    const raw = await (await post(key)).text();
    expect(raw.startsWith(": OPENROUTER PROCESSING\n\n")).toBe(true);
    expect(raw.match(/^: OPENROUTER PROCESSING$/gm)?.length).toBeGreaterThan(1);
    expect(dataEvents(raw).at(-1)).toBe("[DONE]");

    expect((await collect(await ask(key))).content).toBe("one two");
  });

  it("answers non-streamed requests with a chat.completion", async () => {
    const key = uniqueKey("nonstream");
    await control.script(
      key,
      stream({ reasoning: ["why"], answer: ["because"], meta: { usd_spent: 0.5 } }),
    );
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: [userMessage(key)],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message.content).toBe("because");
    expect((completion.choices[0]?.message as ReasoningDelta).reasoning_content).toBe("why");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    expect((completion as AimlapiMeta).meta?.usage.usd_spent).toBe(0.5);
  });
});

describe("errors", () => {
  const cases: { name: string; scenario: ErrorScenario }[] = [
    {
      name: "OpenAI shape",
      scenario: httpError(
        400,
        errorBodies.openai(aimlapiMessages.tokenBudget, "invalid_request_error", "max_tokens"),
      ),
    },
    {
      name: "AI/ML API flat shape, string statusCode",
      scenario: httpError(401, errorBodies.aimlapiFlat("401", aimlapiMessages[401])),
    },
    {
      name: "AI/ML API out of credits",
      scenario: httpError(403, errorBodies.aimlapiFlat(403, aimlapiMessages[403])),
    },
    {
      name: "OpenRouter shape",
      scenario: httpError(
        402,
        errorBodies.openrouter(402, "Insufficient credits", { provider_name: null }),
      ),
    },
    { name: "429 with Retry-After", scenario: rateLimited(7) },
    { name: "raw text body", scenario: httpError(502, "<html>502 Bad Gateway</html>") },
  ];

  it.each(cases)(
    "$name comes back verbatim and the openai client throws APIError",
    async ({ scenario }) => {
      const key = uniqueKey("err");
      await control.script(key, scenario);

      const response = await post(key);
      expect(response.status).toBe(scenario.status);
      if (typeof scenario.body === "string") {
        expect(response.headers.get("content-type")).toContain("text/plain");
        expect(await response.text()).toBe(scenario.body);
      } else {
        expect(response.headers.get("content-type")).toBe("application/json");
        expect(await response.json()).toEqual(scenario.body);
      }
      for (const [name, value] of Object.entries(scenario.headers ?? {})) {
        expect(response.headers.get(name)).toBe(value);
      }

      const error = await ask(key).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(scenario.status);
      if (scenario.status === 429)
        expect((error as APIError).headers?.get("retry-after")).toBe("7");
    },
  );

  it("sends an OpenRouter mid-stream error after N chunks, still HTTP 200, without [DONE]", async () => {
    const key = uniqueKey("midstream");
    const error = { code: 502, message: "Provider disconnected" };
    await control.script(key, stream({ errorAfter: { chunks: 3, error } }));

    const response = await post(key);
    expect(response.status).toBe(200);
    const events = dataEvents(await response.text());
    expect(events).toHaveLength(4);
    expect(events[3]?.startsWith('{"error":')).toBe(true);
    expect(JSON.parse(events[3] ?? "null")).toMatchObject({
      error,
      choices: [{ finish_reason: "error" }],
    });
    expect(events).not.toContain("[DONE]");

    const thrown = await collect(await ask(key)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(thrown).toBeInstanceOf(APIError);
    expect((thrown as APIError).message).toContain("Provider disconnected");
  });

  it("validates like AI/ML API: missing model or messages → 400 flat body; unknown keys accepted", async () => {
    for (const body of [{ messages: [] }, { model: MODEL }, "not json"]) {
      const response = await fetch(`${upstream.baseURL}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        message: "Body validation error!",
        statusCode: 400,
        path: "/v1/chat/completions",
      });
    }
    const key = uniqueKey("unknownkeys");
    const ok = await post(key, { made_up_param: true, stream: false });
    expect(ok.status).toBe(200);
  });
});

describe("connection behaviour", () => {
  it("dropAfter destroys the socket: reading rejects and there is no [DONE]", async () => {
    const key = uniqueKey("drop");
    await control.script(key, stream({ dropAfter: 3 }));

    const response = await post(key);
    expect(response.status).toBe(200);
    const sink = { text: "" };
    await expect(readAll(response.body!.getReader(), sink)).rejects.toThrow();
    expect(dataEvents(sink.text)).toHaveLength(3);
    expect(sink.text).not.toContain("[DONE]");
    const [recorded] = await control.requests(key);
    expect(recorded).toMatchObject({ clientClosed: false, completed: false, status: 200 });
  });

  it("stallAfter keeps the socket open; aborting the fetch is recorded as a hang-up", async () => {
    const key = uniqueKey("stall");
    await control.script(key, stream({ stallAfter: 2 }));

    const abort = new AbortController();
    const response = await post(key, {}, { signal: abort.signal });
    const reader = response.body!.getReader();
    const text = await readUntil(reader, (t) => dataEvents(t).length >= 2);
    expect(dataEvents(text)).toHaveLength(2);

    const pending = await control.waitForRequest(key);
    expect(pending).toMatchObject({ status: 200, completed: false, clientClosed: false });

    abort.abort();
    await expect(reader.read()).rejects.toThrow();
    const hungUp = await control.waitForHangUp(key, { timeoutMs: 2_000 });
    expect(hungUp).toMatchObject({ clientClosed: true, completed: false });
    expect(hungUp.clientClosedAt).toBeGreaterThanOrEqual(pending.receivedAt);
    expect(hungUp.clientClosedAt).toBeLessThanOrEqual(Date.now());
  });

  it("holdAfter holds the stream at each count until the test releases it", async () => {
    const key = uniqueKey("hold");
    await control.script(
      key,
      stream({ reasoning: [], answer: ["A", "B", "C"], holdAfter: [2, 3], tokensPerSecond: 1_000 }),
    );
    const reader = (await post(key)).body!.getReader();
    const sink = { text: await readUntil(reader, (t) => dataEvents(t).length >= 2) };
    const done = readAll(reader, sink);
    // Held: nothing more comes until the first release.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(dataEvents(sink.text)).toHaveLength(2);
    await control.release(key);
    await expect.poll(() => dataEvents(sink.text).length).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(dataEvents(sink.text)).toHaveLength(3);
    await control.release(key);
    await done;
    // role, A, B, C, finish, [DONE]
    expect(dataEvents(sink.text)).toHaveLength(6);
    expect(dataEvents(sink.text).at(-1)).toBe("[DONE]");
  });

  it.each([
    ["paced", 1_000],
    ["unpaced", undefined],
  ])(
    "records when the last reasoning event went out, before the answer (%s)",
    async (_, tokensPerSecond) => {
      const key = uniqueKey("reasoning-sent");
      const reasoning = ["Think", "ing", "."];
      // Held right after the last reasoning event (role chunk + 3 reasoning events).
      await control.script(
        key,
        stream({ reasoning, answer: ["A", "B"], holdAfter: [4], tokensPerSecond }),
      );
      const reader = (await post(key)).body!.getReader();
      const sink = { text: await readUntil(reader, (t) => dataEvents(t).length >= 4) };
      const done = readAll(reader, sink);
      const [held] = await control.requests(key);
      expect(held?.reasoningSentAt).toBeGreaterThan(0);
      expect(held?.completedAt).toBeUndefined();
      await control.release(key);
      await done;
      const [record] = await control.requests(key);
      expect(record?.reasoningSentAt).toBe(held?.reasoningSentAt);
      expect(record?.completedAt).toBeGreaterThanOrEqual(record!.reasoningSentAt!);
    },
  );

  it("records no reasoning time for an answer without reasoning", async () => {
    const key = uniqueKey("no-reasoning-sent");
    await control.script(key, stream({ reasoning: [], answer: ["A"], tokensPerSecond: 1_000 }));
    await (await post(key)).text();
    const [record] = await control.requests(key);
    expect(record?.completed).toBe(true);
    expect(record?.reasoningSentAt).toBeUndefined();
  });

  it("malformedAfter sends one cut-off JSON event, then the rest of the stream", async () => {
    const key = uniqueKey("malformed");
    await control.script(key, stream({ reasoning: [], answer: ["A", "B"], malformedAfter: 2 }));

    const events = dataEvents(await (await post(key)).text());
    // role, "A", the broken event, "B", finish, [DONE]
    expect(events).toHaveLength(6);
    expect(events[2]).toBe('{"choices":[{"de');
    expect(() => JSON.parse(events[2]!)).toThrow();
    expect(
      events.filter((event) => event !== events[2] && event !== "[DONE]").map((e) => JSON.parse(e)),
    ).toHaveLength(4);
    expect(events.at(-1)).toBe("[DONE]");
  });

  it("a 200 that is not an event stream: an error-type step with status 200 and an HTML body", async () => {
    const key = uniqueKey("not-sse");
    await control.script(
      key,
      httpError(200, "<html><body>Gateway login</body></html>", { "content-type": "text/html" }),
    );
    const response = await post(key);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html");
    expect(await response.text()).toBe("<html><body>Gateway login</body></html>");
  });

  it("firstByteDelayMs holds back the response headers", async () => {
    const key = uniqueKey("slow");
    await control.script(key, stream({ firstByteDelayMs: 60 }));
    const started = performance.now();
    const response = await post(key);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    await response.text();
  });

  it("close() resolves promptly with a stalled stream open", async () => {
    const other = await startFakeUpstream();
    const otherControl = new FakeUpstreamControl(other.baseURL);
    const key = uniqueKey("closing");
    await otherControl.script(key, stream({ stallAfter: 1 }));
    const response = await fetch(`${other.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, messages: [userMessage(key)], stream: true }),
    });
    const reader = response.body!.getReader();
    await readUntil(reader, (t) => dataEvents(t).length >= 1);

    const started = performance.now();
    await other.close();
    expect(performance.now() - started).toBeLessThan(500);
    await expect(reader.read()).rejects.toThrow();
    await expect(fetch(`${other.origin}/v1/models`)).rejects.toThrow();
  });
});

describe("scripting and recording", () => {
  it("sequence: the first request gets the error step, later ones the (repeating) stream step", async () => {
    const key = uniqueKey("seq");
    await control.script(
      key,
      sequence(
        httpError(503, errorBodies.aimlapiFlat(503, aimlapiMessages[503])),
        stream({ answer: ["recovered"] }),
      ),
    );

    const first = await ask(key).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect((first as APIError).status).toBe(503);
    expect((await collect(await ask(key))).content).toBe("recovered");
    expect((await collect(await ask(key))).content).toBe("recovered");
    expect((await control.requests(key)).map((request) => request.status)).toEqual([503, 200, 200]);
  });

  it("records body and headers (authorization included) under the key of the last user message", async () => {
    const earlier = uniqueKey("earlier");
    const key = uniqueKey("rec");
    const messages = [
      { role: "user" as const, content: `${tag(earlier)} first turn` },
      { role: "assistant" as const, content: "ok" },
      {
        role: "user" as const,
        content: [{ type: "text" as const, text: `second turn ${tag(key)} ${tag(earlier)}` }],
      },
    ];
    await (
      await openai.chat.completions.create({
        model: MODEL,
        messages,
        stream: true,
        reasoning_effort: "high",
      })
    )
      .toReadableStream()
      .cancel();

    const recorded = await control.waitForRequest(key);
    expect(recorded.key).toBe(key);
    expect(recorded.headers.authorization).toBe("Bearer test");
    expect(recorded.headers["content-type"]).toContain("application/json");
    expect(recorded.body).toMatchObject({
      model: MODEL,
      messages,
      stream: true,
      reasoning_effort: "high",
    });
    expect(recorded.receivedAt).toBeGreaterThan(0);
    expect(await control.requests(earlier)).toEqual([]);

    await control.reset(key);
    expect(await control.requests(key)).toEqual([]);
  });

  it("files untagged requests under `default`", async () => {
    const before = (await control.requests("default")).length;
    await (await post(undefined)).text();
    expect((await control.requests("default")).length).toBe(before + 1);
    expect(extractKey({ messages: [{ role: "user", content: "[t:abc_1-2] [t:zzz]" }] })).toBe(
      "abc_1-2",
    );
  });

  it("counts the non-empty lines it sent (data events and comments)", async () => {
    const key = uniqueKey("lines");
    await control.script(key, stream({ comments: true, reasoning: ["a", "b"], answer: ["c"] }));
    const raw = await (await post(key)).text();
    const lines = raw.split("\n").filter((line) => line !== "");
    const [record] = await control.requests(key);
    expect(lines.length).toBeGreaterThan(6);
    expect(record?.sentLines).toBe(lines.length);
  });

  it("forwards scripted response headers", async () => {
    const key = uniqueKey("headers");
    await control.script(key, stream({ headers: { "x-aimlapi-usd-spent": "0.0042" } }));
    const response = await post(key);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("x-aimlapi-usd-spent")).toBe("0.0042");
    expect(response.headers.get("x-inference-id")).toBeTruthy();
    expect(dataEvents(await response.text()).at(-1)).toBe("[DONE]");
  });

  it("rejects malformed scenarios with a clear 400 and unknown paths with 404 JSON", async () => {
    const put = (body: unknown) =>
      fetch(`${upstream.origin}/__fake/scenarios/${uniqueKey()}`, {
        method: "PUT",
        body: JSON.stringify(body),
      });

    const typo = await put({ type: "stream", stalAfter: 1 });
    expect(typo.status).toBe(400);
    expect(((await typo.json()) as { error: string }).error).toContain("stalAfter");

    const badType = await put({ type: "nope" });
    expect(badType.status).toBe(400);
    expect(((await badType.json()) as { error: string }).error).toMatch(/^Invalid scenario/);

    const twoTriggers = await put({ type: "stream", stallAfter: 1, dropAfter: 2 });
    expect(((await twoTriggers.json()) as { error: string }).error).toContain("at most one");

    await expect(control.script(uniqueKey(), { type: "sequence", steps: [] })).rejects.toThrow(
      /400/,
    );

    const missing = await fetch(`${upstream.origin}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "Not found: GET /nowhere" });
  });

  it("lists the gpt-oss models", async () => {
    const ids: string[] = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toEqual(["openai/gpt-oss-120b", "openai/gpt-oss-20b"]);
    const raw = (await (await fetch(`${upstream.baseURL}/models`)).json()) as {
      data: Record<string, unknown>[];
    };
    expect(raw.data[0]).toMatchObject({
      id: MODEL,
      aliases: expect.any(Array),
      type: expect.any(String),
      tags: expect.any(Array),
      info: expect.any(Object),
    });
  });

  it("waitForRequest times out with a clear error", async () => {
    await expect(control.waitForRequest(uniqueKey("never"), { timeoutMs: 50 })).rejects.toThrow(
      /timed out after 50 ms waiting for 1 request\(s\) under key "never-/,
    );
  });
});

/** Tool-call deltas in arrival order, and the calls merged by index as a client merges them. */
function toolCallsOf(chunks: ChatCompletionChunk[]) {
  const deltas = chunks.flatMap((chunk) =>
    chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []),
  );
  const calls: { id?: string; name?: string; arguments: string }[] = [];
  for (const delta of deltas) {
    const call = (calls[delta.index] ??= { arguments: "" });
    call.id ??= delta.id;
    call.name ??= delta.function?.name;
    call.arguments += delta.function?.arguments ?? "";
  }
  return { deltas, calls };
}

/** What each delta carries, in order: the stream's shape without its text. */
const kindsOf = (chunks: ChatCompletionChunk[]) =>
  chunks.flatMap((chunk) =>
    chunk.choices.flatMap((choice) => {
      const delta = choice.delta as ReasoningDelta & { tool_calls?: unknown };
      if (delta.tool_calls) return ["tool"];
      if (delta.reasoning_content) return ["reasoning"];
      if (delta.content) return ["content"];
      return [];
    }),
  );

/** Collapses runs: ["a", "a", "b"] → ["a", "b"]. */
const runs = (kinds: string[]) => kinds.filter((kind, i) => kind !== kinds[i - 1]);

describe("tool calls", () => {
  const args = { city: "Paris", unit: "celsius", days: 3 };

  it("reassembles arguments sent in one delta and split over many to the same JSON", async () => {
    const whole = uniqueKey("tool-whole");
    const split = uniqueKey("tool-split");
    await control.script(whole, toolCallScenario({ name: "get_weather", args }));
    await control.script(split, toolCallScenario({ name: "get_weather", args, pieces: 5 }));

    const one = await collect(await ask(whole));
    const many = await collect(await ask(split));
    const oneCalls = toolCallsOf(one.chunks);
    const manyCalls = toolCallsOf(many.chunks);

    expect(oneCalls.deltas).toHaveLength(1);
    expect(manyCalls.deltas).toHaveLength(5);
    expect(manyCalls.calls[0]?.arguments).toBe(oneCalls.calls[0]?.arguments);
    expect(JSON.parse(manyCalls.calls[0]?.arguments ?? "")).toEqual(args);
    // Nearly-equal pieces: lengths differ by at most one.
    const lengths = manyCalls.deltas.map((delta) => delta.function?.arguments?.length ?? 0);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);

    // The first delta names the call; the rest carry only index and arguments.
    const [first, ...rest] = manyCalls.deltas;
    expect(first).toEqual({
      index: 0,
      id: expect.stringMatching(/^call_[A-Za-z0-9_-]+_0$/),
      type: "function",
      function: { name: "get_weather", arguments: expect.any(String) },
    });
    for (const delta of rest) {
      expect(delta).toEqual({ index: 0, function: { arguments: expect.any(String) } });
    }
    // Default ids are unique per response.
    expect(oneCalls.calls[0]?.id).not.toBe(manyCalls.calls[0]?.id);
    // Computed usage counts each argument piece as one completion token.
    const reasoningPieces = toolCallScenario({ name: "get_weather", args }).reasoning?.length ?? 0;
    expect(many.chunks.at(-1)?.usage?.completion_tokens).toBe(reasoningPieces + 5);
  });

  it("streams reasoning, then the preamble, then the call, and finishes with tool_calls", async () => {
    const key = uniqueKey("tool-preamble");
    await control.script(
      key,
      toolCallScenario({
        name: "get_weather",
        args,
        preamble: "Let me check the weather in Paris for you.",
        pieces: 3,
        id: "call_fixed",
      }),
    );
    const result = await collect(await ask(key));
    expect(runs(kindsOf(result.chunks))).toEqual(["reasoning", "content", "tool"]);
    expect(result.content).toBe("Let me check the weather in Paris for you.");
    expect(toolCallsOf(result.chunks).calls).toEqual([
      { id: "call_fixed", name: "get_weather", arguments: JSON.stringify(args) },
    ]);
    const finish = result.chunks.at(-2)?.choices[0];
    expect(finish?.finish_reason).toBe("tool_calls");
    expect(finish?.delta).toEqual({});
  });

  it("sends two calls with indexes 0 and 1, one after the other", async () => {
    const key = uniqueKey("tool-two");
    await control.script(key, twoCallsScenario());
    const result = await collect(await ask(key));
    const { deltas, calls } = toolCallsOf(result.chunks);
    expect(deltas.map((delta) => delta.index)).toEqual([0, 0, 1, 1]);
    expect(calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([
      ["get_weather", { city: "Paris" }],
      ["get_weather", { city: "London" }],
    ]);
    expect(calls[0]?.id).toMatch(/_0$/);
    expect(calls[1]?.id).toMatch(/_1$/);
    expect(result.content).toBe("");
    expect(result.chunks.at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("scripts invalid arguments, a harmony leak and the final answer after a tool result", async () => {
    const invalid = uniqueKey("tool-invalid");
    const leak = uniqueKey("tool-leak");
    const final = uniqueKey("tool-final");
    await control.script(invalid, invalidArgumentsScenario("get_weather"));
    await control.script(leak, harmonyLeakScenario());
    await control.script(final, finalAnswerScenario("It is 18 °C and sunny in Paris."));

    const bad = await collect(await ask(invalid));
    const [call] = toolCallsOf(bad.chunks).calls;
    expect(call?.name).toBe("get_weather");
    expect(() => JSON.parse(call?.arguments ?? "")).toThrow();
    expect(bad.chunks.at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");

    const leaked = await collect(await ask(leak));
    expect(leaked.content).toContain("<|channel|>commentary to=functions.get_weather");
    expect(leaked.content).toContain('<|constrain|>json<|message|>{"city":"Paris"}');
    expect(toolCallsOf(leaked.chunks).deltas).toEqual([]);
    expect(leaked.chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");

    const answer = await collect(await ask(final));
    expect(answer.content).toBe("It is 18 °C and sunny in Paris.");
    expect(answer.reasoningContent).not.toBe("");
    expect(toolCallsOf(answer.chunks).deltas).toEqual([]);
    expect(answer.chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
  });

  it("answers non-streamed requests with message.tool_calls and the preamble or null", async () => {
    const bare = uniqueKey("tool-nonstream");
    const withPreamble = uniqueKey("tool-nonstream-preamble");
    await control.script(bare, toolCallScenario({ name: "get_weather", args, pieces: 4 }));
    await control.script(
      withPreamble,
      toolCallScenario({ name: "get_time", args: { zone: "UTC" }, preamble: "Checking." }),
    );

    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: [userMessage(bare)],
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: "function",
        function: { name: "get_weather", arguments: JSON.stringify(args) },
      },
    ]);
    expect((choice?.message as ReasoningDelta).reasoning_content).toContain("get_weather");

    const second = await openai.chat.completions.create({
      model: MODEL,
      messages: [userMessage(withPreamble)],
    });
    expect(second.choices[0]?.message.content).toBe("Checking.");
    expect(second.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      type: "function",
      function: { name: "get_time", arguments: '{"zone":"UTC"}' },
    });
  });

  it("counts tool chunks as data events for triggers", async () => {
    const key = uniqueKey("tool-drop");
    // Role chunk + 2 reasoning deltas + 2 of the 4 argument pieces, then the socket dies.
    await control.script(
      key,
      stream({
        reasoning: ["a", "b"],
        toolCalls: [{ name: "f", arguments: "abcdefgh", pieces: 4 }],
        dropAfter: 5,
      }),
    );
    const response = await post(key);
    const sink = { text: "" };
    await expect(readAll(response.body!.getReader(), sink)).rejects.toThrow();
    expect(sink.text).toContain('"arguments":"cd"');
    expect(sink.text).not.toContain('"arguments":"ef"');
  });

  it("records reasoning sent back on assistant messages, per field", async () => {
    const key = uniqueKey("tool-history");
    const call = {
      id: "call_1",
      type: "function",
      function: { name: "get_weather", arguments: "{}" },
    };
    await (
      await post(key, {
        messages: [
          { role: "user", content: "What is the weather?" },
          { role: "assistant", content: null, tool_calls: [call], reasoning_content: "Need it." },
          { role: "tool", tool_call_id: "call_1", content: "18 °C", reasoning: "ignored" },
          {
            role: "assistant",
            content: "",
            tool_calls: [{ ...call, id: "call_2" }],
            reasoning: "Once more.",
            reasoning_details: [{ type: "reasoning.text", text: "Once more.", format: "unknown" }],
          },
          { role: "assistant", content: "done", reasoning: "", reasoning_details: [] },
          userMessage(key, "And tomorrow?"),
        ],
      })
    ).text();
    const [recorded] = await control.requests(key);
    expect(recorded?.assistantReasoning).toEqual([
      { index: 1, field: "reasoning_content", chars: "Need it.".length },
      { index: 3, field: "reasoning", chars: "Once more.".length },
      { index: 3, field: "reasoning_details", chars: "Once more.".length },
    ]);

    const plain = uniqueKey("tool-history-none");
    await (await post(plain)).text();
    expect((await control.requests(plain))[0]?.assistantReasoning).toEqual([]);
  });

  it("validates toolCalls: builders pass, malformed calls are refused", async () => {
    for (const scenario of [
      toolCallScenario({ name: "get_weather", args, preamble: "One moment." }),
      twoCallsScenario([
        { name: "a", args: "" },
        { name: "b", args: { x: 1 } },
      ]),
      invalidArgumentsScenario("get_weather"),
      harmonyLeakScenario(),
      finalAnswerScenario("Done."),
    ]) {
      expect(parseScenario(scenario)).toMatchObject({ ok: true });
    }

    const malformed: unknown[] = [
      { name: "f" },
      { name: "", arguments: "{}" },
      { name: "f", arguments: { city: "Paris" } },
      { name: "f", arguments: "{}", pieces: 0 },
      { name: "f", arguments: "{}", pieces: 3 },
      { name: "f", arguments: "{}", index: 2 },
    ];
    for (const call of malformed) {
      const result = parseScenario({ type: "stream", toolCalls: [call] });
      expect(result.ok, JSON.stringify(call)).toBe(false);
      if (!result.ok) expect(result.message).toContain("toolCalls");
    }
    await expect(
      control.script(uniqueKey(), { type: "stream", toolCalls: [{ name: "f" }] } as never),
    ).rejects.toThrow(/400.*toolCalls/);
  });
});

describe("generated markdown", () => {
  it("is deterministic, long enough, and cut into token-sized pieces", () => {
    const a = generateMarkdown({ tokens: 2_000, seed: 7, end: "The end." });
    expect(generateMarkdown({ tokens: 2_000, seed: 7, end: "The end." })).toEqual(a);
    expect(generateMarkdown({ tokens: 2_000, seed: 8 })).not.toEqual(a);
    expect(a.length).toBeGreaterThanOrEqual(2_000);
    expect(a.every((piece) => piece.trim().length <= 4)).toBe(true);
    const text = a.join("");
    const meanPiece = text.length / a.length;
    expect(meanPiece).toBeGreaterThan(3);
    expect(meanPiece).toBeLessThan(6);
    expect(text.endsWith("\n\nThe end.")).toBe(true);
  });

  it("holds the markdown a model writes: headings, lists, code, math", () => {
    const text = generateMarkdown({ tokens: 5_000, seed: 1 }).join("");
    expect(text).toMatch(/^#{2,3} /m);
    expect(text).toMatch(/^- /m);
    expect(text).toMatch(/^1\. /m);
    expect(text).toMatch(/^```(ts|python)\n[\s\S]+?\n```$/m);
    expect(text).toMatch(/\$\$[^$\n]+\$\$/);
    // Every fence is closed.
    expect((text.match(/^```/gm) ?? []).length % 2).toBe(0);
  });
});

describe("tokensPerSecond", () => {
  it("streams at the given rate, several events per write", async () => {
    const key = uniqueKey("rate");
    const answer = Array.from({ length: 600 }, (_, i) => ` w${i}`);
    await control.script(key, stream({ reasoning: [], answer, tokensPerSecond: 3_000 }));
    const started = performance.now();
    const response = await fetch(`${upstream.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, stream: true, messages: [userMessage(key)] }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let reads = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      reads += 1;
      text += decoder.decode(value, { stream: true });
    }
    const elapsed = performance.now() - started;
    const contents = [...text.matchAll(/"content":"([^"]*)"/g)].map((m) => m[1]);
    expect(contents.join("")).toBe(answer.join(""));
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    // 602 events at 3,000/s take 0.2 s; at one event per millisecond timer they would take 0.6 s+.
    expect(elapsed).toBeGreaterThan(190);
    expect(elapsed).toBeLessThan(550);
    expect(reads).toBeLessThan(300);
    const [record] = await control.requests(key);
    expect(record?.completed).toBe(true);
    expect(record?.completedAt).toBeGreaterThanOrEqual(record!.receivedAt);
  });

  it("still fires a trigger after what was paced before it", async () => {
    const key = uniqueKey("rate-drop");
    const answer = Array.from({ length: 50 }, (_, i) => ` w${i}`);
    await control.script(
      key,
      stream({ reasoning: [], answer, tokensPerSecond: 10_000, dropAfter: 31 }),
    );
    const response = await fetch(`${upstream.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, stream: true, messages: [userMessage(key)] }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const ended = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return "done";
        text += decoder.decode(value, { stream: true });
      }
    })().catch((error: unknown) => error);
    // The socket was destroyed mid-body: the read fails rather than ending.
    expect(ended).toBeInstanceOf(Error);
    // The role chunk and 30 deltas were written before the socket was destroyed.
    expect(text).toContain('"content":" w29"');
    expect(text).not.toContain('"content":" w30"');
  });
});
