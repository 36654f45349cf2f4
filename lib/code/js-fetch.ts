import { jsLiteral, oneLine, setup } from "./literals";
import { JS_SHOW, jsEnvLines } from "./js-common";
import type { CodeInput } from "./types";

/** JavaScript `fetch`, shaped like the provider's own example; Node 20 runs it as an .mjs file. */
export function jsFetchCode({ body, target, stream }: CodeInput): string {
  const request = [
    "  const response = await fetch(`${baseURL}/chat/completions`, {",
    "    method: 'POST',",
    "    headers: {",
    ...(target.keyEnv ? ["      'Authorization': `Bearer ${apiKey}`,"] : []),
    "      'Content-Type': 'application/json',",
    "    },",
    `    body: JSON.stringify(${jsLiteral(body, 2)}),`,
    "  });",
    "",
    "  if (!response.ok) {",
    "    throw new Error(`HTTP error! Status ${response.status}: ${await response.text()}`);",
    "  }",
    "",
  ];
  const read = stream
    ? [
        "  // Server-sent events: one `data:` line per chunk, then `data: [DONE]`.",
        "  const decoder = new TextDecoder();",
        "  let buffer = '';",
        "  let usage;",
        "  for await (const bytes of response.body) {",
        "    buffer += decoder.decode(bytes, { stream: true });",
        "    const lines = buffer.split('\\n');",
        "    buffer = lines.pop();",
        "    for (const line of lines) {",
        "      if (!line.startsWith('data:')) continue;",
        "      const data = line.slice(5).trim();",
        "      if (data === '[DONE]') continue;",
        "      const chunk = JSON.parse(data);",
        "      if (chunk.error) throw new Error(JSON.stringify(chunk.error));",
        "      for (const choice of chunk.choices ?? []) {",
        "        const delta = choice.delta ?? {};",
        "        const reasoning = delta.reasoning_content || delta.reasoning;",
        "        if (reasoning) show('reasoning', reasoning);",
        "        if (delta.content) show('answer', delta.content);",
        "      }",
        "      usage = chunk.usage ?? usage;",
        "    }",
        "  }",
        "  process.stdout.write('\\n');",
        "  if (usage) console.log(`--- usage ---\\n${JSON.stringify(usage, null, 2)}`);",
      ]
    : ["  const data = await response.json();", "  console.log(JSON.stringify(data, null, 2));"];
  return [
    `// ${oneLine(target.provider)}: the request Thinkpane would send. Run with Node 20+: node request.mjs`,
    ...setup(target, "//"),
    ...jsEnvLines(target),
    "",
    ...(stream ? [...JS_SHOW, ""] : []),
    "async function main() {",
    ...request,
    ...read,
    "}",
    "",
    "main().catch((error) => {",
    "  console.error('Error', error);",
    "  process.exitCode = 1;",
    "});",
    "",
  ].join("\n");
}
