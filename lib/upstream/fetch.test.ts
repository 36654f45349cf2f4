import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { ThinkpaneError } from "@/lib/errors";
import { createUpstreamFetch, TRANSPORT_ERROR_TYPE } from "./fetch";
import { sseData } from "@/lib/testing/sse";

const IDLE_MS = 150;
const CONNECT_MS = 200;
/** How long a test waits for something that should happen promptly before it fails instead of hanging. */
const PROMPTLY_MS = 2_000;

type TestServer = {
  url: string;
  /** Requests received, in order. */
  requests: IncomingMessage[];
  /** Resolves when the n-th response (0-based) is closed, i.e. the connection went away or the response ended. */
  closed(index: number): Promise<void>;
};

const servers: http.Server[] = [];

async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const closings: Promise<void>[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    closings.push(new Promise<void>((resolve) => res.on("close", () => resolve())));
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    requests,
    closed: (index) =>
      within(
        closings[index] ?? Promise.reject(new Error(`no request #${index}`)),
        "the server to see the connection close",
      ),
  };
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

function within<T>(promise: Promise<T>, what: string, ms = PROMPTLY_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const guardedFetch = (batchMs?: number) =>
  createUpstreamFetch({ connectTimeoutMs: CONNECT_MS, idleTimeoutMs: IDLE_MS, batchMs });

function post(url: string, init: RequestInit = {}, batchMs?: number) {
  return guardedFetch(batchMs)(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-fetch-test" },
    body: JSON.stringify({ model: "m", stream: true }),
    ...init,
  });
}

function sseHeaders(res: ServerResponse, extra: Record<string, string> = {}) {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    ...extra,
  });
  res.flushHeaders();
}

/** Writes and waits until Node handed the bytes to the socket. */
function write(res: ServerResponse, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    res.write(data, (error) => (error ? reject(error) : resolve())),
  );
}

async function readBytes(response: Response): Promise<Buffer> {
  return Buffer.from(await within(response.arrayBuffer(), "the guarded body to end"));
}

type TransportEvent = { error: { message: string; type: string; code: string } };

function transportEvents(events: string[]): TransportEvent[] {
  return events
    .filter((e) => e.includes(TRANSPORT_ERROR_TYPE))
    .map((e) => JSON.parse(e) as TransportEvent);
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return within(
    promise.then(
      () => {
        throw new Error("expected a rejection");
      },
      (error: unknown) => error,
    ),
    "a rejection",
  );
}

describe("createUpstreamFetch: healthy streams", () => {
  it("passes an SSE stream through byte-identical, whatever the chunking", async () => {
    const pieces = [
      Buffer.from(": OPENROUTER PROCESSING\n\n"),
      Buffer.from('data: {"choices":[{"delta":{"reasoning_content":"The"}}]}\n\n'),
      // A line split across writes, then a multi-byte character split across writes.
      Buffer.from('data: {"choices":[{"delta":{"content":"Ol'),
      Buffer.from("á").subarray(0, 1),
      Buffer.concat([
        Buffer.from("á").subarray(1),
        Buffer.from('"}}]}\n\ndata: {"choices":[],"usage":{"total_tokens":3}}\r\n\r\n'),
      ]),
      Buffer.from("data: [DONE]\n\n"),
    ];
    const server = await startServer(async (_req, res) => {
      sseHeaders(res, { "x-inference-id": "inf-1" });
      for (const piece of pieces) {
        await write(res, piece);
        await sleep(15);
      }
      res.end();
    });

    const response = await post(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("x-inference-id")).toBe("inf-1");
    const bytes = await readBytes(response);
    expect(bytes.equals(Buffer.concat(pieces))).toBe(true);
  });

  it("joins the text deltas that arrive in one read, and keeps those of separate reads apart", async () => {
    const delta = (d: Record<string, string>) =>
      `data: ${JSON.stringify({ id: "c1", choices: [{ index: 0, delta: d, finish_reason: null }] })}\n\n`;
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      // A burst, as a fast provider or a busy server delivers it: one read.
      await write(
        res,
        delta({ reasoning_content: "Think" }) +
          delta({ reasoning_content: "ing." }) +
          delta({ content: "An" }) +
          delta({ content: "swer." }),
      );
      await sleep(30);
      await write(res, delta({ content: " More." }));
      await sleep(30);
      await write(res, "data: [DONE]\n\n");
      res.end();
    });
    const text = (await readBytes(await post(server.url))).toString("utf8");
    expect(
      sseData(text).map((data) => (data === "[DONE]" ? data : JSON.parse(data).choices[0].delta)),
    ).toEqual([
      { reasoning_content: "Thinking." },
      { content: "Answer." },
      { content: " More." },
      "[DONE]",
    ]);
  });

  it("passes a fast stream on at most once every batchMs, its deltas joined, the first at once", async () => {
    const BATCH = 100;
    const delta = (n: number) =>
      `data: ${JSON.stringify({ id: "c1", choices: [{ index: 0, delta: { content: `${n} ` } }] })}\n\n`;
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      await write(res, delta(0));
      // The rest after a pause, so that the first event was surely read alone.
      await sleep(30);
      for (let n = 1; n < 60; n++) {
        await write(res, delta(n));
        await sleep(5);
      }
      res.end("data: [DONE]\n\n");
    });
    const started = performance.now();
    const response = await post(server.url, {}, BATCH);
    const reader = response.body!.getReader();
    const pieces: { at: number; text: string }[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read())
      pieces.push({ at: performance.now(), text: new TextDecoder().decode(next.value) });

    const contents = pieces.map((p) =>
      sseData(p.text)
        .filter((d) => d !== "[DONE]")
        .map((d) => JSON.parse(d).choices[0].delta.content as string),
    );
    expect(contents.flat().join("")).toBe(Array.from({ length: 60 }, (_, n) => `${n} `).join(""));
    // The first event went on as it came, not after a batch's wait.
    expect(contents[0]).toEqual(["0 "]);
    expect(pieces[0]!.at - started).toBeLessThan(BATCH);
    // 60 events over at least 300 ms: a few pieces, each event of a piece joined into one.
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(pieces.length).toBeLessThan(15);
    for (const content of contents) expect(content.length).toBeLessThanOrEqual(1);
    // Never two pieces closer than the interval (the last, at the end of the stream, may be).
    for (let i = 1; i < pieces.length - 1; i++)
      expect(pieces[i]!.at - pieces[i - 1]!.at).toBeGreaterThanOrEqual(BATCH - 5);
  });

  it("passes the first reasoning and the first answer token on at once, with what it held", async () => {
    const BATCH = 1_000;
    const delta = (d: Record<string, string>) =>
      `data: ${JSON.stringify({ id: "c1", choices: [{ index: 0, delta: d }] })}\n\n`;
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      await write(res, delta({ role: "assistant", content: "" }));
      await sleep(30);
      await write(res, delta({ reasoning_content: "Think" }));
      await sleep(30);
      await write(res, delta({ reasoning_content: "ing." }));
      await sleep(30);
      await write(res, delta({ content: "An" }));
      await sleep(30);
      await write(res, delta({ content: "swer." }));
      res.end("data: [DONE]\n\n");
    });
    const started = performance.now();
    const reader = (await post(server.url, {}, BATCH)).body!.getReader();
    const pieces: { at: number; deltas: unknown[] }[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read())
      pieces.push({
        at: performance.now() - started,
        deltas: sseData(new TextDecoder().decode(next.value))
          .filter((d) => d !== "[DONE]")
          .map((d) => JSON.parse(d).choices[0].delta),
      });
    expect(pieces.map((p) => p.deltas)).toEqual([
      [{ role: "assistant", content: "" }],
      [{ reasoning_content: "Think" }],
      // Held, then out with the first answer token, long before the interval ended.
      [{ reasoning_content: "ing." }, { content: "An" }],
      // The end of the stream does not wait either.
      [{ content: "swer." }],
    ]);
    expect(pieces[2]!.at).toBeLessThan(BATCH / 2);
  });

  it("forwards a line that arrives in several chunks without a newline in between", async () => {
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      await write(res, 'data: {"a"');
      await sleep(30);
      await write(res, ":");
      await sleep(30);
      await write(res, "1}\n\n");
      res.end();
    });
    const text = (await readBytes(await post(server.url))).toString("utf8");
    expect(text).toBe('data: {"a":1}\n\n');
  });

  it("flushes a last line without a newline when the stream ends normally", async () => {
    const server = await startServer((_req, res) => {
      sseHeaders(res);
      res.end("data: {}\n\ndata: [DONE]");
    });
    expect((await readBytes(await post(server.url))).toString("utf8")).toBe(
      "data: {}\n\ndata: [DONE]",
    );
  });

  it("restarts the idle timer on every chunk: a slow but steady stream is not a stall", async () => {
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      for (let i = 0; i < 5; i++) {
        await write(res, `data: {"n":${i}}\n\n`);
        await sleep(IDLE_MS * 0.4);
      }
      res.end();
    });
    const started = Date.now();
    const text = (await readBytes(await post(server.url))).toString("utf8");
    expect(Date.now() - started).toBeGreaterThan(IDLE_MS);
    expect(sseData(text)).toEqual(['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}']);
  });

  it("returns non-stream and error responses untouched", async () => {
    const server = await startServer((req, res) => {
      if (req.url?.endsWith("/error")) {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "7" });
        res.end('{"message":"Too Many Requests","statusCode":429}');
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
    const json = await post(server.url);
    expect(await json.json()).toEqual({ ok: true });
    const error = await post(`${server.url}/error`);
    expect(error.status).toBe(429);
    expect(error.headers.get("retry-after")).toBe("7");
    expect(await error.text()).toBe('{"message":"Too Many Requests","statusCode":429}');
  });

  it("refuses a 200 that is neither an event stream nor JSON, naming what came", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<html>Sign in</html>");
    });
    const error = await post(server.url).catch((e: unknown) => e);
    expect(ThinkpaneError.is(error) && error.code).toBe("upstream:invalid_response");
    expect((error as Error).message).toMatch(/text\/html instead of an event stream/);
  });
});

describe("createUpstreamFetch: stalls", () => {
  it("writes exactly one stalled event, ends the stream and closes the upstream connection", async () => {
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      await write(res, 'data: {"n":1}\n\n');
      // ...and then nothing, with the connection left open.
    });
    const started = Date.now();
    const response = await post(server.url);
    const text = (await readBytes(response)).toString("utf8");
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 10);

    const events = sseData(text);
    expect(events).toHaveLength(2);
    expect(events[0]).toBe('{"n":1}');
    const [stalled] = transportEvents(events);
    expect(transportEvents(events)).toHaveLength(1);
    expect(stalled?.error.type).toBe("thinkpane.transport");
    expect(stalled?.error.code).toBe("upstream:stalled");
    expect(text.startsWith('data: {"n":1}\n\n')).toBe(true);
    expect(text).toMatch(
      /data: \{"error":\{[^\n]*"type":"thinkpane\.transport","code":"upstream:stalled"\}\}\n\n$/,
    );

    await server.closed(0);
  });

  it("drops a partial line held back at the stall instead of forwarding half an event", async () => {
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      await write(res, 'data: {"n":1}\n\ndata: {"choices":[{"delta":{"content":"par');
    });
    const text = (await readBytes(await post(server.url))).toString("utf8");
    expect(text).not.toContain("par");
    const events = sseData(text);
    expect(events[0]).toBe('{"n":1}');
    expect(events).toHaveLength(2);
    expect(transportEvents(events)[0]?.error.code).toBe("upstream:stalled");
    await server.closed(0);
  });

  it("keeps the stalled event a separate event when the stall comes between a data line and its blank line", async () => {
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      await write(res, 'data: {"n":1}\n');
    });
    const text = (await readBytes(await post(server.url))).toString("utf8");
    const events = sseData(text);
    // Every event must be JSON on its own; a merged event would be '{"n":1}\n{"error":...}'.
    for (const event of events) expect(() => JSON.parse(event) as unknown).not.toThrow();
    expect(events).toHaveLength(2);
    expect(events[0]).toBe('{"n":1}');
    expect(transportEvents(events)[0]?.error.code).toBe("upstream:stalled");
  });
});

describe("createUpstreamFetch: broken connections", () => {
  it("turns a connection dropped mid-event into one connection_lost event, never half an event", async () => {
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      await write(res, 'data: {"n":1}\n\ndata: {"choices":[{"delta":{"content":"hal');
      await sleep(20);
      res.socket?.destroy();
    });
    const text = (await readBytes(await post(server.url))).toString("utf8");
    expect(text).not.toContain("hal");
    const events = sseData(text);
    expect(events).toHaveLength(2);
    expect(events[0]).toBe('{"n":1}');
    const lost = transportEvents(events);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.error.code).toBe("upstream:connection_lost");
    expect(lost[0]?.error.type).toBe("thinkpane.transport");
    expect(text.endsWith("\n\n")).toBe(true);
  });

  it("writes the events it holds for the next piece before the connection_lost event", async () => {
    const delta = (text: string) =>
      `data: ${JSON.stringify({ id: "c1", choices: [{ index: 0, delta: { content: text } }] })}\n\n`;
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      await write(res, delta("A"));
      await sleep(30);
      // Held: the next piece may go only a second after the first.
      await write(res, delta("B"));
      await write(res, delta("C"));
      await sleep(30);
      res.socket?.destroy();
    });
    const text = (await readBytes(await post(server.url, {}, 1_000))).toString("utf8");
    const events = sseData(text);
    expect(events.slice(0, -1).map((e) => JSON.parse(e).choices[0].delta.content)).toEqual([
      "A",
      "BC",
    ]);
    expect(transportEvents(events).map((e) => e.error.code)).toEqual(["upstream:connection_lost"]);
  });

  it.each([301, 302, 303, 307, 308])(
    "refuses a %i redirect without following it",
    async (status) => {
      const target = await startServer((_req, res) => {
        sseHeaders(res);
        res.end("data: [DONE]\n\n");
      });
      const redirecting = await startServer((_req, res) => {
        res.writeHead(status, { location: target.url });
        res.end();
      });

      const error = await rejectionOf(post(redirecting.url));
      expect(error).toBeInstanceOf(ThinkpaneError);
      expect((error as ThinkpaneError).code).toBe("upstream:invalid_response");
      expect((error as ThinkpaneError).details.upstreamStatus).toBe(status);
      expect(redirecting.requests).toHaveLength(1);
      expect(target.requests).toHaveLength(0);
    },
  );

  it("gives up with upstream:timeout when no response headers arrive in time", async () => {
    const server = await startServer(() => {
      // Read the request, never answer.
    });
    const started = Date.now();
    const error = await rejectionOf(post(server.url));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ThinkpaneError);
    expect((error as ThinkpaneError).code).toBe("upstream:timeout");
    expect(elapsed).toBeGreaterThanOrEqual(CONNECT_MS - 10);
    expect(elapsed).toBeLessThan(CONNECT_MS + 1_000);
    await server.closed(0);
  });

  it("does not apply the connect timeout to a stream that is already flowing", async () => {
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      // Longer than the connect timeout in total, each gap well within the idle timeout.
      for (let i = 0; i < 4; i++) {
        await write(res, `data: {"n":${i}}\n\n`);
        await sleep(IDLE_MS * 0.4);
      }
      res.end();
    });
    const started = Date.now();
    const text = (await readBytes(await post(server.url))).toString("utf8");
    expect(Date.now() - started).toBeGreaterThan(CONNECT_MS);
    expect(transportEvents(sseData(text))).toHaveLength(0);
    expect(sseData(text)).toHaveLength(4);
  });
});

describe("createUpstreamFetch: the caller's abort (Stop)", () => {
  it("closes the upstream connection mid-stream and errors the body without writing an error event", async () => {
    const server = await startServer(async (_req, res) => {
      sseHeaders(res);
      await write(res, 'data: {"n":1}\n\n');
    });
    const controller = new AbortController();
    const response = await post(server.url, { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("\n\n")) {
      const { done, value } = await within(reader.read(), "the first event");
      if (done) throw new Error("stream ended early");
      text += decoder.decode(value, { stream: true });
    }

    controller.abort();
    const error = await rejectionOf(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          text += decoder.decode(value, { stream: true });
        }
      })(),
    );
    expect((error as Error).name).toBe("AbortError");
    expect(ThinkpaneError.is(error)).toBe(false);
    expect(text).toBe('data: {"n":1}\n\n');
    expect(text).not.toContain(TRANSPORT_ERROR_TYPE);
    await server.closed(0);
  });

  it("aborts a request still waiting for headers as an abort, not a timeout", async () => {
    const server = await startServer(() => {
      // Never answer.
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await rejectionOf(post(server.url, { signal: controller.signal }));
    expect((error as Error).name).toBe("AbortError");
    expect(ThinkpaneError.is(error)).toBe(false);
    await server.closed(0);
  });
});
