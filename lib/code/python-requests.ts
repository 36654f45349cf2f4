import { oneLine, pyLiteral, pyString, setup } from "./literals";
import { PY_SHOW_LINES } from "./py-common";
import type { CodeInput } from "./types";

/** Python `requests`, shaped like the provider's own example: `requests.post(..., json=body)`. */
export function pythonRequestsCode({ body, target, stream }: CodeInput): string {
  const baseURL = target.baseURL
    ? `os.environ.get(${pyString(target.baseURLEnv)}) or ${pyString(target.baseURL)}`
    : `os.environ[${pyString(target.baseURLEnv)}]`;
  const head = [
    "import json",
    "import os",
    "",
    "import requests",
    "",
    `base_url = ${baseURL}`,
    ...(target.keyEnv ? [`api_key = os.environ[${pyString(target.keyEnv)}]`] : []),
    "",
    "response = requests.post(",
    `    f"{base_url}/chat/completions",`,
    "    headers={",
    ...(target.keyEnv ? [`        "Authorization": f"Bearer {api_key}",`] : []),
    `        "Content-Type": "application/json",`,
    "    },",
    `    json=${pyLiteral(body, 1)},`,
    ...(stream ? ["    stream=True,"] : []),
    ")",
    "response.raise_for_status()",
    "",
  ];
  const tail = stream
    ? [
        ...PY_SHOW_LINES,
        "for raw in response.iter_lines():",
        '    line = raw.decode("utf-8")',
        '    if not line.startswith("data:"):',
        "        continue  # blank lines and keep-alive comments",
        "    data = line[5:].strip()",
        '    if data == "[DONE]":',
        "        break",
        "    chunk = json.loads(data)",
        '    if chunk.get("error"):',
        '        raise RuntimeError(chunk["error"])',
        '    for choice in chunk.get("choices") or []:',
        '        delta = choice.get("delta") or {}',
        '        reasoning = delta.get("reasoning_content") or delta.get("reasoning")',
        "        if reasoning:",
        '            show("reasoning", reasoning)',
        '        if delta.get("content"):',
        '            show("answer", delta["content"])',
        '    usage = chunk.get("usage") or usage',
        "",
        "print()",
        "if usage:",
        '    print("--- usage ---")',
        "    print(json.dumps(usage, indent=2))",
        "",
      ]
    : ["data = response.json()", "print(json.dumps(data, indent=2, ensure_ascii=False))", ""];
  return [
    `# ${oneLine(target.provider)}: the request Thinkpane would send.`,
    ...setup(target),
    ...head,
    ...tail,
  ].join("\n");
}
