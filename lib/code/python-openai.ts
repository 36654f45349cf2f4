import { oneLine, pyLiteral, pyString, setup } from "./literals";
import { PY_SHOW_LINES } from "./py-common";
import type { CodeInput, RequestBody } from "./types";

/**
 * Parameters the `openai` Python SDK (v1+) takes as keyword arguments of
 * `chat.completions.create`; everything else travels in `extra_body` (see spec/instruments.md).
 */
export const PYTHON_OPENAI_ARGUMENTS = new Set([
  "model",
  "messages",
  "temperature",
  "top_p",
  "frequency_penalty",
  "presence_penalty",
  "max_completion_tokens",
  "seed",
  "logit_bias",
  "response_format",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "stream",
  "stream_options",
  "reasoning_effort",
]);

/** The body split into the SDK's keyword arguments and `extra_body`. */
export function splitForPythonOpenAI(body: RequestBody): {
  args: RequestBody;
  extraBody: RequestBody;
} {
  const args: RequestBody = {};
  const extraBody: RequestBody = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    (PYTHON_OPENAI_ARGUMENTS.has(key) ? args : extraBody)[key] = value;
  }
  return { args, extraBody };
}

export function pythonOpenAICode({ body, target, stream }: CodeInput): string {
  const { args, extraBody } = splitForPythonOpenAI(body);
  const kwargs = Object.entries(args).map(([k, v]) => `    ${k}=${pyLiteral(v, 1)},`);
  if (Object.keys(extraBody).length > 0)
    kwargs.push(
      `    # Not in the SDK's signature: sent as-is in the body.`,
      `    extra_body=${pyLiteral(extraBody, 1)},`,
    );
  const baseURL = target.baseURL
    ? `os.environ.get(${pyString(target.baseURLEnv)}) or ${pyString(target.baseURL)}`
    : `os.environ[${pyString(target.baseURLEnv)}]`;
  // The SDK insists on a key; a server that takes none ignores it.
  const apiKey = target.keyEnv ? `os.environ[${pyString(target.keyEnv)}]` : `"not-needed"`;
  const call = [
    `${stream ? "stream" : "completion"} = client.chat.completions.create(`,
    ...kwargs,
    ")",
    "",
  ];
  const tail = stream
    ? [
        ...PY_SHOW_LINES,
        "for chunk in stream:",
        "    for choice in chunk.choices:",
        "        delta = choice.delta",
        "        # Fields the SDK does not know are kept on the object.",
        '        reasoning = getattr(delta, "reasoning_content", None) or getattr(delta, "reasoning", None)',
        "        if reasoning:",
        '            show("reasoning", reasoning)',
        "        if delta.content:",
        '            show("answer", delta.content)',
        "    usage = chunk.usage or usage",
        "",
        "print()",
        "if usage:",
        '    print("--- usage ---")',
        "    print(usage.model_dump_json(indent=2))",
        "",
      ]
    : ["print(completion.model_dump_json(indent=2))", ""];
  return [
    `# ${oneLine(target.provider)}: the request Thinkpane would send, with the openai SDK (pip install openai).`,
    ...setup(target),
    "import os",
    "",
    "from openai import OpenAI",
    "",
    "client = OpenAI(",
    `    base_url=${baseURL},`,
    `    api_key=${apiKey},`,
    ")",
    "",
    ...call,
    ...tail,
  ].join("\n");
}
