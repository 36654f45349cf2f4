import { jsLiteral, oneLine, setup } from "./literals";
import { JS_SHOW, jsEnvLines } from "./js-common";
import type { CodeInput } from "./types";

/** The `openai` npm package: the body goes to `create()` as-is, extra keys included. */
export function jsOpenAICode({ body, target, stream }: CodeInput): string {
  const read = stream
    ? [
        "let usage;",
        "for await (const chunk of stream) {",
        "  for (const choice of chunk.choices) {",
        "    const delta = choice.delta;",
        "    // Not in the SDK's types, but kept on the object as received.",
        "    const reasoning = delta.reasoning_content || delta.reasoning;",
        "    if (reasoning) show('reasoning', reasoning);",
        "    if (delta.content) show('answer', delta.content);",
        "  }",
        "  usage = chunk.usage ?? usage;",
        "}",
        "process.stdout.write('\\n');",
        "if (usage) console.log(`--- usage ---\\n${JSON.stringify(usage, null, 2)}`);",
      ]
    : ["console.log(JSON.stringify(completion, null, 2));"];
  return [
    `// ${oneLine(target.provider)}: the request Thinkpane would send, with the openai package (npm install openai).`,
    ...setup(target, "//"),
    "import OpenAI from 'openai';",
    "",
    ...jsEnvLines(target),
    // The SDK insists on a key; a server that takes none ignores it.
    `const client = new OpenAI({ baseURL, apiKey${target.keyEnv ? "" : ": 'not-needed'"} });`,
    "",
    ...(stream ? [...JS_SHOW, ""] : []),
    `const ${stream ? "stream" : "completion"} = await client.chat.completions.create(${jsLiteral(body, 0)});`,
    "",
    ...read,
    "",
  ].join("\n");
}
