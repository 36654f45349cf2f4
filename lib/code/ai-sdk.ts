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

type WireMessage = { role?: unknown; content?: unknown } & Record<string, unknown>;

/** A wire message as an AI SDK model message; reasoning sent back becomes a reasoning part. */
function modelMessage(message: WireMessage): unknown {
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (message.role === "assistant" && typeof reasoning === "string") {
    const text = typeof message.content === "string" ? message.content : "";
    return {
      role: "assistant",
      content: [{ type: "reasoning", text: reasoning }, ...(text ? [{ type: "text", text }] : [])],
    };
  }
  return { role: message.role, content: message.content };
}

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
    if (value === undefined || TRANSPORT.has(key)) continue;
    const setting = CALL_SETTINGS[key];
    if (setting) settings.push(`  ${setting}: ${jsLiteral(value, 1)},`);
    else if (key === "reasoning_effort") options.reasoningEffort = value;
    else options[key] = value;
  }
  const wire = (Array.isArray(body.messages) ? body.messages : []) as WireMessage[];
  const first = wire[0];
  const system =
    first?.role === "system" && typeof first.content === "string" ? first.content : undefined;
  const messages = (system === undefined ? wire : wire.slice(1)).map(modelMessage);

  const call = [
    `const result = ${stream ? "streamText" : "await generateText"}({`,
    `  model: ${name}.chatModel(${jsString(String(body.model))}),`,
    ...(system === undefined ? [] : [`  system: ${jsString(system)},`]),
    `  messages: ${jsLiteral(messages, 1)},`,
    ...settings,
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
    `import { ${stream ? "streamText" : "generateText"} } from 'ai';`,
    "",
    ...jsEnvLines(target),
    `const ${name} = createOpenAICompatible({`,
    `  name: ${jsString(name)},`,
    "  baseURL,",
    ...(target.keyEnv ? ["  apiKey,"] : []),
    "  includeUsage: true,",
    "});",
    "",
    ...(stream ? [...JS_SHOW, ""] : []),
    ...call,
    ...read,
    "",
  ].join("\n");
}
