import "server-only";
import {
  encodeLine,
  type Exchange,
  type ExchangeAttempt,
  LINE_OVERHEAD,
  MAX_BODY_CHARS,
  MAX_DECODED_BYTES,
  MAX_EXCHANGE_BYTES,
  storedSize,
  type StoredLine,
} from "@/lib/inspect/exchange";
import { redactKeyLike } from "@/lib/security/redact";
import { redactSecrets } from "./errors";
import type { ResolvedModel } from "./registry";

/**
 * Records what crossed the wire for one turn (see lib/inspect/exchange.ts): it wraps the fetch
 * that goes to the network and watches every attempt go by. It observes, it never holds back:
 * a chunk is handed on before it is looked at, and nothing is written anywhere until the turn
 * ends and its owner asks for `finish()`. Never recorded: the request's headers (they carry the
 * key), cookies; the key is redacted wherever the upstream echoes it.
 */

export type ExchangeRecorder = {
  /** The fetch to use for the turn's upstream calls, recording each of them. */
  wrap(fetch: typeof globalThis.fetch): typeof globalThis.fetch;
  /** What was recorded; waits (briefly) for error bodies still being read. */
  finish(): Promise<Exchange>;
};

/** Half of the bound for the start of the stream, half for its end. */
const HALF = MAX_EXCHANGE_BYTES / 2;
/** How long finish() waits for an error body still arriving. */
const BODY_WAIT_MS = 2_000;
const LEFT_OUT_HEADERS = new Set(["set-cookie", "set-cookie2", "cookie"]);

/** A line as received, as it will be stored (against the line received before it), and its cost. */
type Entry = { ms: number; text: string; stored: StoredLine; cost: number };

/**
 * Counts a line at what it costs stored, but at least 1/16 of its decoded size, so that a line
 * repeated without end (tiny stored) still reaches the bound before memory suffers.
 */
function costOf(stored: number, text: string): number {
  return Math.max(stored, Math.ceil(text.length / (MAX_DECODED_BYTES / MAX_EXCHANGE_BYTES)));
}

/** The start of a stream up to half the bound, then a window on its end; what falls out is counted. */
export function createLineBuffer(half = HALF) {
  const head: Entry[] = [];
  let tail: Entry[] = [];
  let tailStart = 0;
  let headBytes = 0;
  let tailBytes = 0;
  let tailing = false;
  let prev = "";
  const omitted = { lines: 0, bytes: 0 };

  const whole = (entry: Entry) => costOf(entry.text.length + LINE_OVERHEAD, entry.text);

  return {
    add(ms: number, text: string) {
      const stored = encodeLine(prev, text, ms);
      const entry = { ms, text, stored, cost: costOf(storedSize(stored), text) };
      prev = text;
      if (!tailing && headBytes + entry.cost <= half) {
        head.push(entry);
        headBytes += entry.cost;
        return;
      }
      tailing = true;
      tail.push(entry);
      tailBytes += entry.cost;
      while (tailBytes > half && tail.length - tailStart > 1) {
        const dropped = tail[tailStart++]!;
        tailBytes -= dropped.cost;
        omitted.lines += 1;
        omitted.bytes += dropped.text.length;
        // The new first line of the window has no predecessor left: it is stored whole.
        const first = tail[tailStart]!;
        first.stored = [first.ms, first.text];
        const cost = whole(first);
        tailBytes += cost - first.cost;
        first.cost = cost;
      }
      // Compact now and then, so that dropping from the front stays cheap.
      if (tailStart > 1024 && tailStart * 2 > tail.length) {
        tail = tail.slice(tailStart);
        tailStart = 0;
      }
    },
    get count() {
      return head.length + tail.length - tailStart;
    },
    result(): Pick<Exchange, "lines" | "omitted"> {
      // Each kept line was encoded against its predecessor as it came, and that predecessor is
      // kept too, except for the first line after the gap, which was re-encoded whole.
      const lines = [...head, ...tail.slice(tailStart)].map((entry) => entry.stored);
      return omitted.lines > 0
        ? { lines, omitted: { after: head.length, lines: omitted.lines, bytes: omitted.bytes } }
        : { lines };
    },
  };
}

/** Response headers worth keeping: all but cookies, the key redacted should one echo it. */
function keptHeaders(headers: Headers, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!LEFT_OUT_HEADERS.has(name.toLowerCase()))
      out[name.toLowerCase()] = redactSecrets(value, secrets);
  });
  return out;
}

function requestBody(body: unknown, secrets: readonly string[]): unknown {
  if (typeof body !== "string") return body === undefined ? null : "(a body that is not text)";
  const text = redactSecrets(body, secrets);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Reads a copy of a body, up to about MAX_BODY_CHARS (cut after redaction, so no half key shows). */
async function readSome(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < MAX_BODY_CHARS) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
    return text;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export function createExchangeRecorder({
  model,
  inToolLoops,
  now = () => performance.now(),
}: {
  model: ResolvedModel;
  /** The switch "Send reasoning back in tool loops", recorded with the provider's field. */
  inToolLoops?: boolean;
  now?: () => number;
}): ExchangeRecorder {
  const secrets = model.apiKey ? [model.apiKey] : [];
  const origin = now();
  const startedAt = new Date().toISOString();
  const elapsed = () => Math.round(now() - origin);
  const attempts: ExchangeAttempt[] = [];
  const pending = new Set<Promise<unknown>>();
  const lines = createLineBuffer();
  let body: unknown = null;
  let lastEnd: number | undefined;
  let end: Exchange["end"];

  /** Passes a stream's bytes on untouched, and keeps its lines with their arrival times. */
  const observe = (source: ReadableStream<Uint8Array>, startMs: number) => {
    const reader = source.getReader();
    const decoder = new TextDecoder();
    let partial = "";
    const take = (text: string, ms: number) => {
      const parts = (partial + text).split("\n");
      partial = parts.pop() ?? "";
      for (const part of parts) {
        const line = part.endsWith("\r") ? part.slice(0, -1) : part;
        if (line !== "") lines.add(ms, cleanLine(line, secrets));
      }
    };
    const ended = (reason: NonNullable<Exchange["end"]>["reason"], message?: string) => {
      if (end) return;
      const ms = elapsed() - startMs;
      take(decoder.decode(), ms);
      if (partial !== "") lines.add(ms, cleanLine(partial, secrets));
      partial = "";
      end = message ? { ms, reason, message: scrubError(message, secrets) } : { ms, reason };
      lastEnd = elapsed();
    };
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await reader.read();
          if (next.done) {
            ended("done");
            controller.close();
            return;
          }
          // Handed on first: recording never delays a token.
          controller.enqueue(next.value);
          take(decoder.decode(next.value, { stream: true }), elapsed() - startMs);
        } catch (error) {
          const aborted = error instanceof Error && error.name === "AbortError";
          ended(aborted ? "aborted" : "error", error instanceof Error ? error.message : undefined);
          throw error;
        }
      },
      cancel(reason) {
        ended("aborted");
        return reader.cancel(reason);
      },
    });
  };

  return {
    wrap(fetch) {
      return async (input, init) => {
        const atMs = elapsed();
        const attempt: ExchangeAttempt = {
          atMs,
          waitMs: lastEnd === undefined ? 0 : Math.max(0, atMs - lastEnd),
        };
        attempts.push(attempt);
        // Every attempt sends the same body; the first one is kept.
        if (attempts.length === 1) body = requestBody(init?.body, secrets);
        let response: Response;
        try {
          response = await fetch(input, init);
        } catch (error) {
          attempt.error = scrubError(
            error instanceof Error ? error.message : String(error),
            secrets,
          );
          lastEnd = elapsed();
          throw error;
        }
        attempt.status = response.status;
        attempt.headers = keptHeaders(response.headers, secrets);
        attempt.headersMs = elapsed() - atMs;
        const isStream = (response.headers.get("content-type") ?? "").includes("text/event-stream");
        if (response.ok && isStream && response.body) {
          return new Response(observe(response.body, atMs), {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          });
        }
        // An error (or a body that is not a stream): a copy is read beside the caller's.
        if (response.body) {
          const copy = readSome(response.clone()).then(
            (text) =>
              (attempt.body = cut(
                response.ok ? clean(text, secrets) : redactKeyLike(clean(text, secrets)),
              )),
            () => undefined,
          );
          pending.add(copy);
          void copy.finally(() => pending.delete(copy));
        }
        lastEnd = elapsed();
        return response;
      };
    },
    async finish() {
      if (pending.size > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          Promise.allSettled([...pending]),
          new Promise((resolve) => (timer = setTimeout(resolve, BODY_WAIT_MS))),
        ]);
        clearTimeout(timer);
      }
      return {
        version: 1,
        provider: { id: model.provider.id, label: model.provider.label },
        model: { id: model.id, upstreamId: model.upstreamId },
        startedAt,
        request: { body },
        attempts,
        ...lines.result(),
        ...(end ? { end } : {}),
        ...(inToolLoops === undefined
          ? {}
          : { reasoningBack: { field: model.provider.reasoningField, inToolLoops } }),
      };
    },
  };
}

/** The key redacted; NUL (which PostgreSQL text cannot hold) shown as U+FFFD. */
function clean(line: string, secrets: readonly string[]): string {
  const text = redactSecrets(line, secrets);
  return text.includes("\0") ? text.replaceAll("\0", "\uFFFD") : text;
}

/** Error words (a failed attempt, a broken stream): the key and anything else key-like. */
function scrubError(text: string, secrets: readonly string[]): string {
  return redactKeyLike(redactSecrets(text, secrets));
}

/**
 * A stream line: the key always; an error chunk's words also lose anything key-like. Answer
 * text is kept as the model wrote it (a hash in an answer is content, not a leak).
 */
function cleanLine(line: string, secrets: readonly string[]): string {
  const text = clean(line, secrets);
  return text.includes('"error"') ? redactKeyLike(text) : text;
}

function cut(text: string): string {
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
}
