import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import {
  EXPORT_FORMAT,
  expiryDate,
  importSchema,
  type PortableConversation,
  shareExpiries,
  shareOptionsSchema,
  toJsonExport,
  toMarkdown,
  toSnapshot,
} from "./portable";

const MODEL = "openai/gpt-oss-120b";

function conversation(overrides: Partial<PortableConversation> = {}): PortableConversation {
  return {
    title: "Primes below ten",
    createdAt: "2025-03-01T12:00:00.000Z",
    settings: {
      model: MODEL,
      system: "Be brief.\nUse digits.",
      params: { temperature: 0.5, reasoning_effort: "high" },
    },
    messages: [
      {
        id: "u1",
        role: "user",
        parts: [{ type: "text", text: "Which primes are below 10?" }],
        status: "done",
      },
      {
        id: "a1",
        role: "assistant",
        parts: [
          { type: "step-start" },
          { type: "reasoning", text: "List them.\n\nCheck 9: not prime.", state: "done" },
          { type: "text", text: "2, 3, 5 and 7.", state: "done" },
        ],
        metadata: { model: MODEL, status: "done", usage: { totalTokens: 42 }, costUsd: 0.0001 },
        status: "done",
      },
      {
        id: "u2",
        role: "user",
        parts: [{ type: "text", text: "And below 20?" }],
        status: "done",
      },
      {
        id: "a2",
        role: "assistant",
        parts: [{ type: "reasoning", text: "11, 13", state: "streaming" }],
        metadata: { model: MODEL, status: "stopped" },
        status: "stopped",
      },
    ],
    ...overrides,
  };
}

describe("toMarkdown", () => {
  it("writes a JSON turn's schema check under its answer, and the JSON export keeps it", () => {
    const schemaCheck = {
      valid: false,
      kind: "schema" as const,
      message: 'Invalid: the JSON does not match the schema "primes" (1 error).',
      errors: [{ path: "$.primes[0]", message: "expected integer, got string" }],
      parsed: { primes: ["2"] },
    };
    const c = conversation({
      messages: [
        {
          id: "a1",
          role: "assistant",
          parts: [{ type: "text", text: '{"primes": ["2"]}' }],
          metadata: { status: "done", schemaCheck },
          status: "done",
        },
      ],
    });
    expect(toMarkdown(c)).toContain(
      '**Schema check:** Invalid: the JSON does not match the schema "primes" (1 error).\n\n- `$.primes[0]` expected integer, got string\n',
    );
    const back = importSchema.parse(JSON.parse(JSON.stringify(toJsonExport(c))));
    expect(back.messages[0]?.metadata?.schemaCheck).toEqual(schemaCheck);
  });

  it("keeps JSON found in the reasoning out of a share without reasoning", () => {
    const schemaCheck = {
      valid: false,
      kind: "in_reasoning" as const,
      message: "Invalid: the answer is empty, but JSON was found in the reasoning instead.",
      errors: [],
      parsed: { secret: 1 },
    };
    const c = conversation({
      messages: [
        {
          id: "a1",
          role: "assistant",
          parts: [{ type: "reasoning", text: '{"secret": 1}' }],
          metadata: { schemaCheck },
          status: "done",
        },
      ],
    });
    const share = (includeReasoning: boolean) =>
      toSnapshot(c, { includeReasoning, includeSettings: true, expiresIn: "never" }).messages[0]
        ?.metadata?.schemaCheck;
    expect(share(true)).toEqual(schemaCheck);
    expect(share(false)).toMatchObject({ kind: "in_reasoning", message: schemaCheck.message });
    expect(share(false)?.parsed).toBeUndefined();
  });

  it("writes the title, the settings, and each turn under its own heading", () => {
    expect(toMarkdown(conversation())).toBe(
      [
        "# Primes below ten",
        "",
        "Model: `openai/gpt-oss-120b`",
        'Parameters: `temperature`=0.5, `reasoning_effort`="high"',
        "",
        "System prompt:",
        "",
        "> Be brief.",
        "> Use digits.",
        "",
        "## You",
        "",
        "Which primes are below 10?",
        "",
        "## openai/gpt-oss-120b",
        "",
        "**Reasoning** (raw model reasoning)",
        "",
        "> List them.",
        ">",
        "> Check 9: not prime.",
        "",
        "2, 3, 5 and 7.",
        "",
        "## You",
        "",
        "And below 20?",
        "",
        "## openai/gpt-oss-120b",
        "",
        "**Reasoning** (raw model reasoning)",
        "",
        "> 11, 13",
        "",
        "_No answer._",
        "",
        "_Turn stopped._",
        "",
      ].join("\n"),
    );
  });

  it("notes every status but done", () => {
    for (const status of ["error", "interrupted", "streaming"] as const) {
      const markdown = toMarkdown(
        conversation({
          messages: [
            { id: "a", role: "assistant", parts: [{ type: "text", text: "Part" }], status },
          ],
        }),
      );
      expect(markdown).toContain(`_Turn ${status}._`);
    }
    const done = toMarkdown(
      conversation({
        messages: [
          { id: "a", role: "assistant", parts: [{ type: "text", text: "All" }], status: "done" },
        ],
      }),
    );
    expect(done).not.toContain("_Turn");
  });

  it("leaves out the settings lines when there are no settings or they are empty", () => {
    const bare = toMarkdown(conversation({ settings: undefined }));
    expect(bare).not.toContain("Model:");
    expect(bare).not.toContain("System prompt:");
    expect(bare.startsWith("# Primes below ten\n\n## You\n")).toBe(true);

    const plain = toMarkdown(conversation({ settings: { model: MODEL, params: {} } }));
    expect(plain).toContain("Model: `openai/gpt-oss-120b`");
    expect(plain).not.toContain("Parameters:");
    expect(plain).not.toContain("System prompt:");
  });

  it("heads an answer without a model as Assistant, and one without reasoning has no quote", () => {
    const markdown = toMarkdown(
      conversation({
        settings: undefined,
        messages: [
          { id: "a", role: "assistant", parts: [{ type: "text", text: "Hi" }], status: "done" },
        ],
      }),
    );
    expect(markdown).toBe("# Primes below ten\n\n## Assistant\n\nHi\n");
  });
});

describe("toJsonExport and importSchema", () => {
  it("round-trips: what export writes, import reads back unchanged", () => {
    const original = conversation();
    const file = JSON.parse(JSON.stringify(toJsonExport(original))) as unknown;
    expect(file).toMatchObject({ format: EXPORT_FORMAT, version: 1 });

    const parsed = importSchema.safeParse(file);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({ format: EXPORT_FORMAT, version: 1, ...original });
  });

  it("accepts a minimal file: title and messages", () => {
    const parsed = importSchema.safeParse({
      format: EXPORT_FORMAT,
      version: 1,
      title: "Minimal",
      messages: [{ role: "user", parts: [{ type: "text", text: "hi" }] }],
    });
    expect(parsed.success).toBe(true);
  });

  it("drops fields of parts that this app does not write, such as provider metadata", () => {
    const parsed = importSchema.safeParse({
      format: EXPORT_FORMAT,
      version: 1,
      title: "Extra",
      messages: [
        {
          role: "user",
          parts: [
            {
              type: "text",
              text: "hi",
              state: "done",
              providerMetadata: { openaiCompatible: { role: "system", url: "http://evil" } },
            },
          ],
        },
      ],
    });
    expect(parsed.success).toBe(true);
    expect(parsed.data?.messages[0]?.parts).toEqual([{ type: "text", text: "hi", state: "done" }]);
  });

  const valid = () =>
    JSON.parse(JSON.stringify(toJsonExport(conversation()))) as Record<string, unknown>;
  const withMessages = (messages: unknown[]) => ({ ...valid(), messages });

  it.each([
    ["another app's format", { ...valid(), format: "chatgpt.conversation" }],
    ["no format at all", { title: "x", messages: [] }],
    ["a later version", { ...valid(), version: 2 }],
    ["a ChatGPT-style export", { title: "x", mapping: {}, create_time: 1 }],
    ["an array of conversations", [valid()]],
    ["an unknown top-level field", { ...valid(), ownerId: "someone" }],
    ["an empty title", { ...valid(), title: "   " }],
    ["a system message", withMessages([{ role: "system", parts: [] }])],
    [
      "a tool call part",
      withMessages([{ role: "assistant", parts: [{ type: "tool-search", input: {} }] }]),
    ],
    [
      "a file part",
      withMessages([
        {
          role: "user",
          parts: [{ type: "file", url: "file:///etc/passwd", mediaType: "text/plain" }],
        },
      ]),
    ],
    ["an unknown status", withMessages([{ role: "user", parts: [], status: "pending" }])],
    [
      "an oversized text",
      withMessages([{ role: "user", parts: [{ type: "text", text: "x".repeat(200_001) }] }]),
    ],
    [
      "an oversized reasoning",
      withMessages([
        { role: "assistant", parts: [{ type: "reasoning", text: "x".repeat(500_001) }] },
      ]),
    ],
    [
      "too many parts",
      withMessages([
        { role: "user", parts: Array.from({ length: 501 }, () => ({ type: "step-start" })) },
      ]),
    ],
    [
      "too many messages",
      withMessages(Array.from({ length: 2001 }, () => ({ role: "user", parts: [] }))),
    ],
    [
      "settings with an unknown parameter",
      { ...valid(), settings: { model: MODEL, params: { max_tokens: 5 } } },
    ],
  ])("rejects %s", (_name, file) => {
    expect(importSchema.safeParse(file).success).toBe(false);
  });

  it("accepts texts right at the limits", () => {
    const parsed = importSchema.safeParse(
      withMessages([
        {
          role: "assistant",
          parts: [
            { type: "reasoning", text: "x".repeat(500_000) },
            { type: "text", text: "x".repeat(200_000) },
          ],
        },
      ]),
    );
    expect(parsed.success).toBe(true);
  });
});

describe("toSnapshot", () => {
  it("keeps everything when reasoning, settings and the system prompt are included", () => {
    const original = conversation();
    const snapshot = toSnapshot(original, {
      includeReasoning: true,
      includeSettings: true,
      includeSystemPrompt: true,
      expiresIn: "never",
    });
    expect(snapshot).toEqual(original);
  });

  it("leaves the system prompt out unless it is chosen", () => {
    const snapshot = toSnapshot(conversation(), {
      ...shareOptionsSchema.parse({}),
      includeSettings: true,
    });
    expect(snapshot.settings).toEqual({
      model: MODEL,
      params: { temperature: 0.5, reasoning_effort: "high" },
    });
    expect(JSON.stringify(snapshot)).not.toContain("Be brief.");
  });

  it("keeps a failed turn failed, without what was meant for the server's operator", () => {
    const failed = conversation({
      messages: [
        {
          id: "a9",
          role: "assistant",
          parts: [],
          status: "error",
          metadata: {
            status: "error",
            error: {
              code: "upstream:auth",
              message: "AI/ML API rejected the server's API key (HTTP 401). Check AIMLAPI_API_KEY.",
              details: { envVar: "AIMLAPI_API_KEY", upstreamMessage: "Invalid key sk-abc…" },
            },
          },
        },
      ],
    });
    const snapshot = toSnapshot(failed, { ...shareOptionsSchema.parse({}) });
    expect(snapshot.messages[0]?.status).toBe("error");
    expect(snapshot.messages[0]?.metadata?.error).toEqual({
      code: "upstream:auth",
      message: "The upstream rejected the server's API key.",
    });
    expect(JSON.stringify(snapshot)).not.toMatch(/AIMLAPI_API_KEY|sk-abc/);
  });

  it("drops the reasoning parts when reasoning is not included", () => {
    const snapshot = toSnapshot(conversation(), {
      includeReasoning: false,
      includeSettings: true,
      includeSystemPrompt: true,
      expiresIn: "never",
    });
    const parts = snapshot.messages.flatMap((m) => m.parts);
    expect(parts.some((p) => p.type === "reasoning")).toBe(false);
    expect(parts).toContainEqual({ type: "text", text: "2, 3, 5 and 7.", state: "done" });
    expect(JSON.stringify(snapshot)).not.toContain("Check 9");
    expect(snapshot.settings).toEqual(conversation().settings);
    expect(snapshot.messages[1]?.metadata?.model).toBe(MODEL);
  });

  it("drops the settings and every model name when settings are not included", () => {
    const snapshot = toSnapshot(conversation(), {
      includeReasoning: true,
      includeSettings: false,
      expiresIn: "never",
    });
    expect(snapshot).not.toHaveProperty("settings");
    for (const message of snapshot.messages) expect(message.metadata?.model).toBeUndefined();
    const json = JSON.stringify(snapshot);
    expect(json).not.toContain(MODEL);
    expect(json).not.toContain("Be brief.");
    // What the turns said and how they ended stays.
    expect(snapshot.messages.map((m) => m.status)).toEqual(["done", "done", "done", "stopped"]);
    expect(snapshot.messages[1]?.metadata?.usage).toEqual({ totalTokens: 42 });
  });

  it("copies nothing but the title, the creation time, the messages and the chosen settings", () => {
    const snapshot = toSnapshot(
      { ...conversation(), ownerId: "owner-secret" } as PortableConversation,
      { includeReasoning: false, includeSettings: false, expiresIn: "7d" },
    );
    expect(Object.keys(snapshot).sort()).toEqual(["createdAt", "messages", "title"]);
    expect(JSON.stringify(snapshot)).not.toContain("owner-secret");
  });
});

describe("share options", () => {
  it("default to reasoning and settings included, no system prompt, no raw exchange, never expiring", () => {
    expect(shareOptionsSchema.parse({})).toEqual({
      includeReasoning: true,
      includeSettings: true,
      includeSystemPrompt: false,
      includeExchange: false,
      expiresIn: "never",
    });
  });

  it("share the system prompt only with the settings", () => {
    expect(
      shareOptionsSchema.safeParse({ includeSettings: false, includeSystemPrompt: true }).success,
    ).toBe(false);
    expect(shareOptionsSchema.safeParse({ includeSystemPrompt: true }).success).toBe(true);
  });

  it("refuse unknown expiries and unknown fields", () => {
    expect(shareOptionsSchema.safeParse({ expiresIn: "1y" }).success).toBe(false);
    expect(shareOptionsSchema.safeParse({ public: true }).success).toBe(false);
  });

  it("expiryDate gives none for never and now + the option's length otherwise", () => {
    const now = Date.parse("2025-03-01T12:00:00.000Z");
    expect(expiryDate("never", now)).toBeUndefined();
    expect(expiryDate("1d", now)).toEqual(new Date("2025-03-02T12:00:00.000Z"));
    expect(expiryDate("7d", now)).toEqual(new Date("2025-03-08T12:00:00.000Z"));
    expect(expiryDate("30d", now)).toEqual(new Date("2025-03-31T12:00:00.000Z"));
    expect(Object.keys(shareExpiries).sort()).toEqual(["1d", "30d", "7d", "never"]);
  });

  it("expiryDate counts from the current time by default", () => {
    const before = Date.now();
    const date = expiryDate("1d");
    expect(date!.getTime() - before).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
    expect(date!.getTime() - Date.now()).toBeLessThanOrEqual(24 * 60 * 60 * 1000);
  });
});

describe("imported metadata", () => {
  const file = (metadata: unknown) => ({
    format: EXPORT_FORMAT,
    version: 1,
    title: "Crafted",
    messages: [{ role: "assistant", parts: [{ type: "text", text: "x" }], metadata }],
  });

  it("is refused when its fields have the wrong types", () => {
    for (const metadata of [
      { usage: null },
      { usage: "lots" },
      { finishReason: { toString: 1 } },
      { preset: { id: "p", name: { html: "<b>" }, version: 1, modified: false } },
      { totalMs: "fast" },
      { status: "hacked" },
      { error: { code: "not:a:code", message: "x" } },
      { error: { code: "upstream:auth", message: 42 } },
    ])
      expect(importSchema.safeParse(file(metadata)).success, JSON.stringify(metadata)).toBe(false);
  });

  it("is refused when a label is huge", () => {
    expect(importSchema.safeParse(file({ model: "m".repeat(1_000_000) })).success).toBe(false);
    expect(importSchema.safeParse(file({ finishReason: "f".repeat(10_000) })).success).toBe(false);
  });

  it("keeps only the keys a live turn has: prototype keys are dropped", () => {
    const crafted = JSON.parse(
      '{"model":"m","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"extra":1}',
    ) as unknown;
    const parsed = importSchema.parse(file(crafted));
    const metadata = parsed.messages[0]?.metadata;
    expect(metadata).toEqual({ model: "m" });
    expect(Object.keys(metadata ?? {})).toEqual(["model"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("a tool loop: export, import, Markdown and share", () => {
  /** As the app stores a loop: reasoning and a preamble, the call answered, then the answer. */
  const toolTurn = (call: Record<string, unknown> = {}): PortableConversation =>
    conversation({
      messages: [
        {
          id: "u1",
          role: "user",
          parts: [{ type: "text", text: "Weather in Paris?" }],
          status: "done",
        },
        {
          id: "a1",
          role: "assistant",
          parts: [
            { type: "step-start" },
            { type: "reasoning", text: "I should call get_weather.", state: "done" },
            { type: "text", text: "Let me check.", state: "done" },
            {
              type: "dynamic-tool",
              toolName: "get_weather",
              toolCallId: "call_paris",
              state: "output-available",
              input: { city: "Paris" },
              output: '{"celsius": 18, "sky": "sunny"}',
              ...call,
            } as never,
            { type: "step-start" },
            { type: "reasoning", text: "Summarise it.", state: "done" },
            { type: "text", text: "It is 18 °C and sunny in Paris.", state: "done" },
          ],
          metadata: { model: MODEL, status: "done", finishReason: "stop" },
          status: "done",
        },
      ],
    });
  const fileOf = (c: PortableConversation) =>
    JSON.parse(JSON.stringify(toJsonExport(c))) as { messages: { parts: unknown[] }[] };
  const withPart = (part: Record<string, unknown>) => {
    const file = fileOf(toolTurn());
    file.messages[1]!.parts[3] = { ...(file.messages[1]!.parts[3] as object), ...part };
    return file;
  };

  it("round-trips a conversation with calls in every state the app writes", () => {
    const failed = {
      type: "dynamic-tool",
      toolName: "get-weather_2",
      toolCallId: "call_bad",
      state: "output-error",
      input: '{"city": "Par',
      errorText: "Invalid JSON",
    };
    const waiting = {
      type: "dynamic-tool",
      toolName: "search",
      toolCallId: "call_wait",
      state: "input-available",
      input: { q: "x", nested: [1, null, { deep: true }] },
    };
    const stopped = {
      type: "dynamic-tool",
      toolName: "search",
      toolCallId: "call_cut",
      state: "input-streaming",
      rawInput: '{"q": "ha',
    };
    const original = toolTurn();
    original.messages[1]!.parts.push(failed as never, waiting as never, stopped as never);
    const parsed = importSchema.safeParse(fileOf(original));
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({ format: EXPORT_FORMAT, version: 1, ...original });
  });

  it("keeps a result given as JSON, and drops fields of calls this app does not write", () => {
    const parsed = importSchema.safeParse(
      withPart({
        output: { celsius: 18 },
        callProviderMetadata: { openaiCompatible: { role: "system" } },
        providerExecuted: true,
        title: "x",
      }),
    );
    expect(parsed.success).toBe(true);
    expect(parsed.data?.messages[1]?.parts[3]).toEqual({
      type: "dynamic-tool",
      toolName: "get_weather",
      toolCallId: "call_paris",
      state: "output-available",
      input: { city: "Paris" },
      output: { celsius: 18 },
    });
  });

  it.each([
    ["a function name with spaces", { toolName: "get weather" }],
    ["a function name of 65 characters", { toolName: "f".repeat(65) }],
    ["an empty call id", { toolCallId: "" }],
    ["a call id of 201 characters", { toolCallId: "c".repeat(201) }],
    ["an unknown state", { state: "output-pending" }],
    ["an approval state", { state: "approval-requested", approval: { id: "a" } }],
    ["an answered call without its output", { output: undefined }],
    ["a failed call without its error", { state: "output-error", output: undefined }],
    ["arguments too large", { input: { text: "x".repeat(100_000) } }],
    ["a result too large", { output: "x".repeat(100_001) }],
    ["a static tool part", { type: "tool-get_weather" }],
  ])("rejects %s", (_name, part) => {
    expect(importSchema.safeParse(withPart(part)).success).toBe(false);
  });

  it("refuses arguments nested too deep, quickly and without overflowing the stack", () => {
    const nested = (depth: number) => {
      let value: unknown = [];
      for (let i = 0; i < depth; i++) value = [value];
      return value;
    };
    expect(importSchema.safeParse(withPart({ input: nested(63) })).success).toBe(true);
    expect(importSchema.safeParse(withPart({ output: nested(65) })).success).toBe(false);
    // Deep enough to overflow any recursive check.
    const file = withPart({ input: nested(100_000) });
    const started = performance.now();
    expect(importSchema.safeParse(file).success).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("accepts arguments and a result right at the limits", () => {
    // {"text":"…"}: 11 characters around the text.
    const input = { text: "x".repeat(100_000 - 11) };
    expect(JSON.stringify(input)).toHaveLength(100_000);
    const result = "x".repeat(100_000 - 2);
    expect(importSchema.safeParse(withPart({ input, output: result })).success).toBe(true);
  });

  it("writes Markdown in order: preamble, call, result, then the final answer", () => {
    expect(toMarkdown(toolTurn())).toContain(
      [
        "## openai/gpt-oss-120b",
        "",
        "**Reasoning** (raw model reasoning)",
        "",
        "> I should call get_weather.",
        "",
        "Let me check.",
        "",
        "**Call to `get_weather`**",
        "",
        "```json",
        '{\n  "city": "Paris"\n}',
        "```",
        "",
        "**Result for `get_weather`**",
        "",
        "```json",
        '{\n  "celsius": 18,\n  "sky": "sunny"\n}',
        "```",
        "",
        "**Reasoning** (raw model reasoning)",
        "",
        "> Summarise it.",
        "",
        "It is 18 °C and sunny in Paris.",
        "",
      ].join("\n"),
    );
  });

  it("fences untrusted arguments and results so that backticks in them cannot close the fence", () => {
    const markdown = toMarkdown(
      toolTurn({ input: { code: "```\n# Injected" }, output: "see ````` here\n```" }),
    );
    expect(markdown).toContain('````json\n{\n  "code": "```\\n# Injected"\n}\n````');
    expect(markdown).toContain("``````text\nsee ````` here\n```\n``````");
    // As a Markdown reader parses it: two code blocks holding exactly the content, nothing else.
    const tree = unified().use(remarkParse).parse(markdown);
    const blocks = tree.children.filter((node) => node.type === "code");
    expect(blocks.map((node) => [node.lang, node.value])).toEqual([
      ["json", '{\n  "code": "```\\n# Injected"\n}'],
      ["text", "see ````` here\n```"],
    ]);
    expect(tree.children.filter((node) => node.type === "heading")).toHaveLength(3);
  });

  it("writes a failed call, a call still waiting, and a turn with no answer after its call", () => {
    const markdown = toMarkdown(
      conversation({
        settings: undefined,
        messages: [
          {
            id: "a",
            role: "assistant",
            parts: [
              {
                type: "dynamic-tool",
                toolName: "get_weather",
                toolCallId: "c1",
                state: "output-error",
                input: '{"city": "Par',
                errorText: "Invalid JSON input",
              },
              {
                type: "dynamic-tool",
                toolName: "search",
                toolCallId: "c2",
                state: "input-available",
                input: {},
              },
            ],
            status: "done",
          },
        ],
      }),
    );
    expect(markdown).toBe(
      [
        "# Primes below ten",
        "",
        "## Assistant",
        "",
        "**Call to `get_weather`**",
        "",
        "```text",
        '{"city": "Par',
        "```",
        "",
        "**The call failed:** Invalid JSON input",
        "",
        "**Call to `search`**",
        "",
        "```json",
        "{}",
        "```",
        "",
        "_No result._",
        "",
        "_No answer._",
        "",
      ].join("\n"),
    );
  });

  it("shares calls and results, and the loop's reasoning only when the share includes it", () => {
    const share = (includeReasoning: boolean) =>
      toSnapshot(toolTurn(), { includeReasoning, includeSettings: true, expiresIn: "never" })
        .messages[1]!.parts;
    const without = share(false);
    expect(without.map((p) => p.type)).toEqual([
      "step-start",
      "text",
      "dynamic-tool",
      "step-start",
      "text",
    ]);
    expect(without[2]).toMatchObject({ input: { city: "Paris" }, state: "output-available" });
    expect(JSON.stringify(without)).not.toMatch(/I should call|Summarise it/);
    expect(share(true)).toEqual(toolTurn().messages[1]!.parts);
  });
});
