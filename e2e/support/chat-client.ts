import { randomBytes } from "node:crypto";
import http from "node:http";
import { Readable } from "node:stream";
import { tag } from "../fake-upstream/client";

/**
 * The app's chat API driven the way the browser drives it, from Node: for load and Stop trials
 * that need hundreds of turns, or a response read while it streams. One Owner is one browser:
 * it keeps the owner cookie the app sets on its first turn and sends it to every instance.
 */

export const newId = (prefix: string) => `${prefix}-${randomBytes(8).toString("hex")}`;

/**
 * A fetch on a connection of its own. Pooled keep-alive sockets that sat idle while the app was
 * busy may be reused just as the server closes them (Node's 5 s keep-alive timeout), a reset a
 * browser retries but a test client would count as a failure of the app.
 */
function send(
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
) {
  return new Promise<Response>((resolve, reject) => {
    const request = http.request(url, {
      method: init.method ?? "GET",
      headers: init.headers,
      agent: false,
    });
    request.on("error", reject);
    request.on("response", (message) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(message.headers)) {
        for (const one of Array.isArray(value) ? value : [value ?? ""]) headers.append(name, one);
      }
      const status = message.statusCode ?? 0;
      const empty = status === 204 || status === 304;
      const body = empty ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>);
      if (empty) message.resume();
      resolve(new Response(body, { status, headers }));
    });
    request.end(init.body);
  });
}

export type TurnResult = {
  status: number;
  /** The answer text, joined from its deltas. */
  text: string;
  /** The `errorText` of every error chunk. */
  errors: string[];
  /** The response ended with `[DONE]`. */
  finished: boolean;
};

export class Owner {
  private cookie: string | undefined;

  /** Starts a turn on `server`; resolves once the response headers arrived. */
  async send(server: string, conversationId: string, key: string, text: string) {
    const response = await send(`${server}/api/chat`, {
      method: "POST",
      headers: this.headers(server, { "content-type": "application/json" }),
      body: JSON.stringify({
        conversationId,
        trigger: "submit-message",
        message: { id: newId("u"), text: `${tag(key)} ${text}` },
        settings: { model: "openai/gpt-oss-120b", params: {} },
      }),
    });
    const set = response.headers.getSetCookie().find((c) => c.startsWith("tp_owner="));
    if (set) this.cookie = set.split(";")[0];
    return response;
  }

  follow(server: string, conversationId: string) {
    return send(`${server}/api/chat/${conversationId}/stream`, { headers: this.headers(server) });
  }

  async stop(server: string, conversationId: string): Promise<boolean> {
    const response = await send(`${server}/api/chat/${conversationId}/stop`, {
      method: "POST",
      headers: this.headers(server),
    });
    if (!response.ok) throw new Error(`Stop answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { stopped: boolean }).stopped;
  }

  /** The stored conversation as its export (loading it, as opening it in the app does). */
  async stored(server: string, conversationId: string): Promise<StoredConversation> {
    const response = await send(`${server}/api/conversations/${conversationId}/export`, {
      headers: this.headers(server),
    });
    if (!response.ok)
      throw new Error(
        `Export of ${conversationId} answered ${response.status}: ${await response.text()}`,
      );
    return (await response.json()) as StoredConversation;
  }

  private headers(server: string, extra: Record<string, string> = {}) {
    return { origin: server, ...(this.cookie ? { cookie: this.cookie } : {}), ...extra };
  }
}

export type StoredConversation = {
  messages: {
    role: "user" | "assistant";
    status: string;
    parts: { type: string; text?: string }[];
  }[];
};

export const storedText = (parts: StoredConversation["messages"][number]["parts"] | undefined) =>
  (parts ?? []).map((p) => (p.type === "text" ? (p.text ?? "") : "")).join("");

type UIChunk = { type: string; delta?: string; errorText?: string };

/** The data of each complete `data:` event. */
const dataEvents = (events: string[]) =>
  events.filter((e) => e.startsWith("data: ")).map((e) => e.slice("data: ".length));

/** The UI message chunks among those data (the final `[DONE]` is not one). */
const parseChunks = (data: string[]) =>
  data.filter((d) => d !== "[DONE]").map((d) => JSON.parse(d) as UIChunk);

/** Reads a UI message stream to its end. */
export async function readTurn(response: Response): Promise<TurnResult> {
  const events = dataEvents((await response.text()).split("\n\n"));
  const chunks = parseChunks(events);
  return {
    status: response.status,
    text: chunks
      .filter((c) => c.type === "text-delta")
      .map((c) => c.delta)
      .join(""),
    errors: chunks.filter((c) => c.type === "error").map((c) => c.errorText ?? ""),
    finished: events.at(-1) === "[DONE]",
  };
}

/**
 * Reads a streaming response until the answer text so far contains `text`; returns the reader.
 * The text, not the raw events: the server may join deltas that reached it together into one
 * event (lib/upstream/coalesce-deltas.ts), so a piece need not arrive as a delta of its own.
 */
export async function readUntil(response: Response, text: string) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let raw = "";
  let answer = "";
  while (!answer.includes(text)) {
    const { done, value } = await reader.read();
    if (done)
      throw new Error(`The response ended before ${JSON.stringify(text)}: ${answer.slice(-500)}`);
    raw += decoder.decode(value, { stream: true });
    const events = raw.split("\n\n");
    raw = events.pop() ?? "";
    for (const chunk of parseChunks(dataEvents(events)))
      if (chunk.type === "text-delta") answer += chunk.delta ?? "";
  }
  return {
    /** Reads the rest and drops it. */
    async drain() {
      for (let next = await reader.read(); !next.done; next = await reader.read());
    },
    /** Hangs up, as a browser that goes away. */
    cancel: () => reader.cancel(),
  };
}

export function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN, max: sorted.at(-1) ?? NaN };
}
