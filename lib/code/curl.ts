import { oneLine, setup, shDouble } from "./literals";
import type { CodeInput } from "./types";

/** curl with the body as-is; `-N` while streaming, so the SSE lines print as they arrive. */
export function curlCode({ body, target, stream }: CodeInput): string {
  const base = target.baseURL
    ? `\${${target.baseURLEnv}:-${shDouble(target.baseURL).slice(1, -1)}}`
    : `\${${target.baseURLEnv}:?set ${target.baseURLEnv} to the base URL of the provider}`;
  const lines = [
    `# ${oneLine(target.provider)}: the request Thinkpane would send, ${stream ? "streamed as server-sent events" : "answered with one JSON response"}.`,
    ...setup(target),
    `curl ${stream ? "-N " : ""}-sS "${base}/chat/completions" \\`,
    ...(target.keyEnv ? [`  -H "Authorization: Bearer $${target.keyEnv}" \\`] : []),
    `  -H "Content-Type: application/json" \\`,
    `  --data-binary @- <<'JSON'`,
    JSON.stringify(body, null, 2),
    "JSON",
    "",
  ];
  return lines.join("\n");
}
