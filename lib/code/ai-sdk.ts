import { jsLiteral, jsString, oneLine, setup } from "./literals";
import { JS_SHOW, jsEnvLines } from "./js-common";
import type { CodeInput, RequestBody } from "./types";

/** Body fields the AI SDK takes as call settings, by their setting's name. */
const CALL_SETTINGS: Record<string, string> = {
  temperature: "temperature",
  top_p: "topP",
  frequency_penalty: "frequencyPenalty",
  presence_penalty: "presencePenalty",
  seed: "seed",
};

/** Set by the SDK itself from the call (`streamText` vs `generateText`, `includeUsage`). */
const TRANSPORT = new Set(["model", "messages", "stream", "stream_options"]);

/** Written as the SDK's own `tools` and `toolChoice`: passed through providerOptions they would be
 * overwritten by the SDK's (empty) ones. */
const TOOL_FIELDS = new Set(["tools", "tool_choice"]);

type WireToolCall = { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
type WireMessage = {
  role?: unknown;
  content?: unknown;
  tool_calls?: WireToolCall[];
  tool_call_id?: unknown;
} & Record<string, unknown>;

/** A call's arguments as the SDK's `input`: parsed, so that the SDK writes them back the same. */
function callInput(args: unknown): unknown {
  if (typeof args !== "string") return args;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    // Not JSON (a model can cut its arguments off): the SDK will send it JSON-encoded.
    return args;
  }
}

/**
 * A wire message as an AI SDK model message: reasoning sent back becomes a reasoning part, an
 * assistant's `tool_calls` tool-call parts, and a `tool` message a tool-result part, which the SDK
 * needs to name its function (the call it answers says which).
 */
function modelMessage(message: WireMessage, toolNames: Map<unknown, unknown>): unknown {
  if (message.role === "tool") {
    return {
      role: "tool",
      content: [
        {
          type: "tool-result",
          toolCallId: message.tool_call_id,
          toolName: toolNames.get(message.tool_call_id) ?? "unknown",
          output: {
            type: "text",
            value: typeof message.content === "string" ? message.content : "",
          },
        },
      ],
    };
  }
  const reasoning = message.reasoning_content ?? message.reasoning;
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  if (message.role === "assistant" && (typeof reasoning === "string" || calls.length > 0)) {
    const text = typeof message.content === "string" ? message.content : "";
    for (const call of calls) toolNames.set(call.id, call.function?.name);
    return {
      role: "assistant",
      content: [
        ...(typeof reasoning === "string" ? [{ type: "reasoning", text: reasoning }] : []),
        ...(text ? [{ type: "text", text }] : []),
        ...calls.map((call) => ({
          type: "tool-call",
          toolCallId: call.id,
          toolName: call.function?.name,
          input: callInput(call.function?.arguments),
        })),
      ],
    };
  }
  return { role: message.role, content: message.content };
}

type WireTool = {
  function?: { name?: unknown; description?: unknown; parameters?: unknown; strict?: unknown };
};

/** `tools: { name: tool({ description, inputSchema: jsonSchema(...) }) }`: no `execute`, so the
 * call comes back to the reader, as in the playground. */
function toolLines(tools: WireTool[]): string[] {
  const lines = ["  tools: {"];
  for (const { function: fn = {} } of tools) {
    const name = String(fn.name);
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : jsString(name);
    lines.push(`    ${key}: tool({`);
    if (typeof fn.description === "string")
      lines.push(`      description: ${jsString(fn.description)},`);
    lines.push(`      inputSchema: jsonSchema(${jsLiteral(fn.parameters ?? {}, 3)}),`);
    if (typeof fn.strict === "boolean") lines.push(`      strict: ${fn.strict},`);
    lines.push("    }),");
  }
  lines.push("  },");
  return lines;
}

/** `tool_choice` as the SDK's `toolChoice`: the modes as they are, a named function as a tool. */
function toolChoiceLiteral(choice: unknown): string {
  if (typeof choice === "object" && choice !== null && "function" in choice) {
    const name = (choice as { function?: { name?: unknown } }).function?.name;
    return jsLiteral({ type: "tool", toolName: name }, 1);
  }
  return jsLiteral(choice, 1);
}

/**
 * The SDK writes reasoning sent back as `reasoning_content`; a server that reads `reasoning`
 * (the provider's `reasoningField`) gets it renamed, as the proxy does.
 */
const RENAME_REASONING = [
  "  // This server reads reasoning sent back as `reasoning`; the SDK writes `reasoning_content`.",
  "  transformRequestBody: (body) => ({",
  "    ...body,",
  "    messages: body.messages.map(({ reasoning_content, ...message }) =>",
  "      reasoning_content === undefined ? message : { ...message, reasoning: reasoning_content },",
  "    ),",
  "  }),",
];

/** `my-vllm` → `myVllm`: the provider's name, which is also its key in providerOptions. */
function identifier(id: string): string {
  const name = id.replace(/[-_]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `provider${name.replace(/[^\w$]/g, "")}`;
}

/**
 * The AI SDK (`ai` + `@ai-sdk/openai-compatible`). Settings the SDK knows become call settings
 * (reasoning effort its provider option); the rest go in providerOptions, which the provider
 * spreads into the body as-is. response_format goes there too: as an SDK setting it would be
 * rewritten (a default name, `strict: true`), and the point is the same body.
 */
export function aiSdkCode({ body, target, stream }: CodeInput): string {
  const name = identifier(target.providerId);
  const settings: string[] = [];
  const options: RequestBody = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || TRANSPORT.has(key) || TOOL_FIELDS.has(key)) continue;
    const setting = CALL_SETTINGS[key];
    if (setting) settings.push(`  ${setting}: ${jsLiteral(value, 1)},`);
    else if (key === "reasoning_effort") options.reasoningEffort = value;
    else options[key] = value;
  }
  const wire = (Array.isArray(body.messages) ? body.messages : []) as WireMessage[];
  const first = wire[0];
  const system =
    first?.role === "system" && typeof first.content === "string" ? first.content : undefined;
  const toolNames = new Map<unknown, unknown>();
  const messages = (system === undefined ? wire : wire.slice(1)).map((m) =>
    modelMessage(m, toolNames),
  );
  const tools = Array.isArray(body.tools) ? (body.tools as WireTool[]) : [];
  const renameReasoning = wire.some((m) => m.role === "assistant" && "reasoning" in m);
  const imports = [
    stream ? "streamText" : "generateText",
    ...(tools.length ? ["jsonSchema", "tool"] : []),
  ];

  const call = [
    `const result = ${stream ? "streamText" : "await generateText"}({`,
    `  model: ${name}.chatModel(${jsString(String(body.model))}),`,
    ...(system === undefined ? [] : [`  system: ${jsString(system)},`]),
    `  messages: ${jsLiteral(messages, 1)},`,
    ...settings,
    ...(tools.length > 0 ? toolLines(tools) : []),
    ...(body.tool_choice === undefined
      ? []
      : [`  toolChoice: ${toolChoiceLiteral(body.tool_choice)},`]),
    ...(Object.keys(options).length > 0
      ? [`  providerOptions: ${jsLiteral({ [name]: options }, 1)},`]
      : []),
    "});",
    "",
  ];
  const read = stream
    ? [
        "for await (const part of result.fullStream) {",
        "  if (part.type === 'reasoning-delta') show('reasoning', part.text);",
        "  else if (part.type === 'text-delta') show('answer', part.text);",
        ...(tools.length > 0
          ? [
              "  else if (part.type === 'tool-call') {",
              "    show('tool call', `${part.toolName}(${JSON.stringify(part.input)})\\n`);",
              "  }",
            ]
          : []),
        "  else if (part.type === 'error') throw part.error;",
        "  else if (part.type === 'finish') {",
        "    console.log(`\\n--- usage ---\\n${JSON.stringify(part.totalUsage, null, 2)}`);",
        "  }",
        "}",
      ]
    : [
        "// The response as the provider sent it.",
        "console.log(JSON.stringify(result.response.body, null, 2));",
      ];
  return [
    `// ${oneLine(target.provider)}: the request Thinkpane would send, with the AI SDK (npm install ai @ai-sdk/openai-compatible).`,
    ...setup(target, "//"),
    "import { createOpenAICompatible } from '@ai-sdk/openai-compatible';",
    `import { ${imports.join(", ")} } from 'ai';`,
    "",
    ...jsEnvLines(target),
    `const ${name} = createOpenAICompatible({`,
    `  name: ${jsString(name)},`,
    "  baseURL,",
    ...(target.keyEnv ? ["  apiKey,"] : []),
    "  includeUsage: true,",
    ...(renameReasoning ? RENAME_REASONING : []),
    "});",
    "",
    ...(stream ? [...JS_SHOW, ""] : []),
    ...call,
    ...read,
    "",
  ].join("\n");
}
