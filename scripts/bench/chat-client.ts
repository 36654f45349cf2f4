/**
 * One chat turn as a real client makes it, timed: through the app (`POST /api/chat` with the
 * body the playground sends, reading the UI message stream) or straight to the upstream
 * (`POST /v1/chat/completions`, reading its SSE). First token = the first reasoning or text delta.
 */
import { randomBytes } from "node:crypto";
import { tag } from "../../e2e/fake-upstream/client";
import { bodyChunks } from "./support";

export type TurnResult =
  { ok: true; firstTokenMs: number; totalMs: number } | { ok: false; error: string };

export const MODEL = "openai/gpt-oss-120b";
const TURN_TIMEOUT_MS = 120_000;

const sameOrigin = (origin: string) => ({
  "content-type": "application/json",
  origin,
  "sec-fetch-site": "same-origin",
});

export const randomId = (prefix: string) => `${prefix}-${randomBytes(8).toString("hex")}`;

/** Reads an SSE body; `isToken` and `isEnd` see each `data:` payload. */
async function timeStream(
  response: Response,
  started: number,
  isToken: (data: string) => boolean,
  isError: (data: string) => string | undefined,
): Promise<TurnResult> {
  if (!response.ok || !response.body) {
    return {
      ok: false,
      error: `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`,
    };
  }
  const decoder = new TextDecoder();
  let buffer = "";
  let firstTokenMs: number | undefined;
  let done = false;
  for await (const chunk of bodyChunks(response.body)) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trimEnd();
      buffer = buffer.slice(newline + 1);
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") {
        done = true;
        continue;
      }
      const error = isError(data);
      if (error) return { ok: false, error };
      if (firstTokenMs === undefined && isToken(data)) firstTokenMs = performance.now() - started;
    }
  }
  const totalMs = performance.now() - started;
  if (!done) return { ok: false, error: "stream ended without [DONE]" };
  if (firstTokenMs === undefined) return { ok: false, error: "no token in the stream" };
  return { ok: true, firstTokenMs, totalMs };
}

async function timed(run: (signal: AbortSignal) => Promise<TurnResult>): Promise<TurnResult> {
  try {
    return await run(AbortSignal.timeout(TURN_TIMEOUT_MS));
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, error: cause?.code ?? cause?.message ?? String(error) };
  }
}

/** A new conversation's first turn through the app, as the playground sends it. */
export function appTurn(origin: string, cookie: string, key: string): Promise<TurnResult> {
  return timed(async (signal) => {
    const started = performance.now();
    const response = await fetch(`${origin}/api/chat`, {
      method: "POST",
      signal,
      headers: { ...sameOrigin(origin), cookie },
      body: JSON.stringify({
        conversationId: randomId("bench"),
        trigger: "submit-message",
        message: { id: randomId("msg"), text: `${tag(key)} Explain the proxy benchmark.` },
        settings: { model: MODEL, system: "", params: {} },
      }),
    });
    return timeStream(
      response,
      started,
      (data) => /"type":"(reasoning|text)-delta"/.test(data),
      (data) => (/"type":"error"/.test(data) ? data.slice(0, 200) : undefined),
    );
  });
}

/** The same request straight to the upstream, as the app's OpenAI-compatible provider makes it. */
export function directTurn(baseURL: string, key: string): Promise<TurnResult> {
  return timed(async (signal) => {
    const started = performance.now();
    const response = await fetch(`${baseURL}/chat/completions`, {
      method: "POST",
      signal,
      headers: { "content-type": "application/json", authorization: "Bearer bench-dummy-key" },
      body: JSON.stringify({
        model: MODEL,
        messages: [{ role: "user", content: `${tag(key)} Explain the proxy benchmark.` }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    return timeStream(
      response,
      started,
      (data) => {
        const delta = (JSON.parse(data) as { choices?: { delta?: Record<string, unknown> }[] })
          .choices?.[0]?.delta;
        return Boolean(delta?.reasoning_content || delta?.reasoning || delta?.content);
      },
      (data) => (data.startsWith('{"error"') ? data.slice(0, 200) : undefined),
    );
  });
}

/** The owner cookie the app sets on a client's first request (anonymous mode). */
export function ownerCookie(response: Response): string {
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c?.startsWith("tp_owner="));
  if (!cookie) throw new Error(`no owner cookie in the response (HTTP ${response.status})`);
  return cookie;
}

export type ImportMessage = {
  role: "user" | "assistant";
  parts: ({ type: "text"; text: string } | { type: "reasoning"; text: string })[];
};

/** Imports a conversation through the app's import API; without a cookie, a new owner is made. */
export async function importConversation(
  origin: string,
  cookie: string | undefined,
  title: string,
  messages: ImportMessage[],
): Promise<{ id: string; cookie: string }> {
  const response = await fetch(`${origin}/api/conversations/import`, {
    method: "POST",
    headers: { ...sameOrigin(origin), ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ format: "thinkpane.conversation", version: 1, title, messages }),
  });
  if (response.status !== 201) {
    throw new Error(
      `import failed (HTTP ${response.status}): ${(await response.text()).slice(0, 300)}`,
    );
  }
  const { id } = (await response.json()) as { id: string };
  return { id, cookie: cookie ?? ownerCookie(response) };
}

/** Creates a share link of a conversation (reasoning and settings included); returns its token. */
export async function createShare(origin: string, cookie: string, id: string): Promise<string> {
  const response = await fetch(`${origin}/api/conversations/${id}/shares`, {
    method: "POST",
    headers: { ...sameOrigin(origin), cookie },
    body: JSON.stringify({}),
  });
  if (response.status !== 201) {
    throw new Error(
      `share failed (HTTP ${response.status}): ${(await response.text()).slice(0, 300)}`,
    );
  }
  return ((await response.json()) as { share: { token: string } }).share.token;
}
