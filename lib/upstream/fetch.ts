import "server-only";
import { ThinkpaneError } from "@/lib/errors";
import { createDeltaCoalescer, TEXT_FIELDS } from "./coalesce-deltas";

/**
 * The fetch every upstream call goes through. It adds what the AI SDK leaves to us:
 * - a connect timeout: time allowed until the upstream answers with headers;
 * - an idle timeout: time allowed between two chunks of the body (a stalled stream);
 * - no redirects: a 3xx is an error, so a response can never send the key to another host;
 * - the text deltas of an event stream are passed on at most once every `batchMs` (20 ms by
 *   default), and those passed on together are joined into one event per run
 *   (coalesce-deltas.ts): the SDK's cost is per event, and a fast stream would otherwise
 *   saturate the server. A stream's first event after a pause goes on at once, and so do its
 *   first reasoning and first answer token (the times measured from them stay exact);
 * - transport failures inside an event stream (dropped connection, stall) become an in-band
 *   error event, the same shape OpenRouter uses for errors after the stream began. The SDK then
 *   ends the turn through its ordinary error path (error part, finish, usage so far) instead of
 *   failing the whole response.
 * Aborting the caller's signal (Stop) closes the upstream connection.
 */

/** `type` of the in-band error events this module writes; errors.ts maps them back by code. */
export const TRANSPORT_ERROR_TYPE = "thinkpane.transport";

/**
 * How long events of a running stream wait to be passed on together. At 750 tokens/s (gpt-oss
 * on a fast provider) that is about 15 tokens an event instead of one, and the server's work per
 * token (a JSON and schema parse and a dozen web streams in the SDK, then the SSE to the
 * browser) shrinks as much. 20 ms is well under what a person can see, and under how often the
 * page shows a stream (every 50 ms in the playground, 100 ms per Compare column).
 */
export const BATCH_MS = 20;

export function createUpstreamFetch(options: {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** How long events wait to be passed on together (BATCH_MS by default; 0: as they come). */
  batchMs?: number;
  /** The fetch that reaches the network (the exchange recorder wraps it); the global one by default. */
  fetch?: typeof fetch;
}): typeof fetch {
  return async (input, init) => {
    const local = new AbortController();
    const signal = init?.signal ? AbortSignal.any([init.signal, local.signal]) : local.signal;

    const connectTimer = setTimeout(
      () =>
        local.abort(
          new ThinkpaneError("upstream:timeout", {
            message: `The upstream sent no response within ${seconds(options.connectTimeoutMs)} s.`,
          }),
        ),
      options.connectTimeoutMs,
    );
    let response: Response;
    try {
      // Looked up per call: tests replace the global fetch after creating this one.
      response = await (options.fetch ?? globalThis.fetch)(input, {
        ...init,
        signal,
        redirect: "manual",
      });
    } catch (error) {
      if (local.signal.aborted) throw local.signal.reason;
      throw error;
    } finally {
      clearTimeout(connectTimer);
    }

    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new ThinkpaneError("upstream:invalid_response", {
        message: `The upstream answered with a redirect (HTTP ${response.status}), which this server does not follow. Check the provider's base URL.`,
        details: { upstreamStatus: response.status },
      });
    }
    const contentType = response.headers.get("content-type") ?? "";
    const isEventStream = contentType.includes("text/event-stream");
    if (response.ok && !isEventStream && !contentType.includes("json")) {
      // A login page or a proxy's notice: the SDK would read it as an empty stream.
      await response.body?.cancel();
      throw new ThinkpaneError("upstream:invalid_response", {
        message: `The upstream answered with ${contentType.split(";")[0] || "an untyped body"} instead of an event stream. Check the provider's base URL.`,
        details: { upstreamStatus: response.status },
      });
    }
    if (!response.body || !response.ok || !isEventStream) return response;

    const body = guardEventStream(response.body, {
      idleTimeoutMs: options.idleTimeoutMs,
      batchMs: options.batchMs ?? BATCH_MS,
      closeUpstream: (reason) => local.abort(reason),
      userAborted: () => init?.signal?.aborted ?? false,
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** 400 → "0.4", 60000 → "60": small timeouts must not read as "0 s". */
const seconds = (ms: number) => String(Math.round(ms / 100) / 10);

const encoder = new TextEncoder();
const NEWLINE = 0x0a;
// A text field with text in it (the key as JSON writes it; inside a string its quotes are escaped).
const FIRST_TEXT = new RegExp(`"(${TEXT_FIELDS.join("|")})":"[^"]`, "g");

function errorEvent(error: ThinkpaneError): Uint8Array {
  const payload = {
    error: { message: error.message, type: TRANSPORT_ERROR_TYPE, code: error.code },
  };
  // The leading blank line ends an event whose data line was forwarded but whose blank line never
  // came; otherwise the parser would merge the two into one unreadable event. Between events it is a no-op.
  return encoder.encode(`\ndata: ${JSON.stringify(payload)}\n\n`);
}

function isUserAbort(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === "AbortError" || error.name === "ResponseAborted")
  );
}

/**
 * Forwards an SSE body line by line (a partial line is held back, so a failure never leaves half
 * an event for the parser), at most one piece every `batchMs` (the lines read meanwhile are held
 * and go on together, their text deltas joined), restarts an idle timer on every chunk, and on a
 * stall or a broken connection writes what it holds, then one error event, and ends the stream.
 */
function guardEventStream(
  source: ReadableStream<Uint8Array>,
  options: {
    idleTimeoutMs: number;
    batchMs: number;
    closeUpstream: (reason: unknown) => void;
    userAborted: () => boolean;
  },
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let pending = new Uint8Array(0);
  let finished = false;
  // Whole lines read but not yet passed on, and when the last piece went.
  let held: Uint8Array[] = [];
  let passedAt = -Infinity;
  // A read still waiting when a piece went out on time; the next pull goes on with it.
  let reading: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  const coalesce = createDeltaCoalescer();
  const decoder = new TextDecoder();
  // The first reasoning token and the first answer token go on at once, so that the times
  // measured from them (turn-metrics.ts) are exact. Looked for until the answer began.
  const firstText = new Set<string>();
  const bringsFirstText = (lines: Uint8Array) => {
    if (firstText.has("content")) return false;
    let found = false;
    for (const [, field] of decoder.decode(lines).matchAll(FIRST_TEXT)) {
      if (!field || firstText.has(field)) continue;
      firstText.add(field);
      found = true;
    }
    return found;
  };

  // The held lines as one piece, text deltas joined (the bytes as they came when nothing was).
  const pass = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (held.length === 0) return;
    const lines = held.length === 1 ? held[0]! : concat(...held);
    held = [];
    passedAt = performance.now();
    const text = decoder.decode(lines);
    const out = coalesce(text);
    controller.enqueue(out === text ? lines : encoder.encode(out));
  };

  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: ThinkpaneError) => {
    finished = true;
    pass(controller);
    controller.enqueue(errorEvent(error));
    controller.close();
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A pull that enqueues nothing is never called again, so read until a piece can go out.
      while (!finished) {
        const timers: ReturnType<typeof setTimeout>[] = [];
        const after = <T>(ms: number, value: T) =>
          new Promise<T>((resolve) => timers.push(setTimeout(() => resolve(value), ms)));
        const waits: Promise<ReadableStreamReadResult<Uint8Array> | "stalled" | "due">[] = [
          (reading ??= reader.read()),
          after(options.idleTimeoutMs, "stalled" as const),
        ];
        if (held.length > 0)
          waits.push(after(Math.max(0, passedAt + options.batchMs - performance.now()), "due"));
        try {
          const result = await Promise.race(waits);
          if (result === "due") {
            pass(controller);
            return;
          }
          if (result === "stalled") {
            const error = new ThinkpaneError("upstream:stalled", {
              message: `The upstream sent nothing for ${seconds(options.idleTimeoutMs)} s, so the stream was closed.`,
            });
            options.closeUpstream(error);
            fail(controller, error);
            return;
          }
          reading = undefined;
          if (result.done) {
            finished = true;
            if (pending.length > 0) held.push(pending);
            pass(controller);
            controller.close();
            return;
          }
          const chunk = concat(pending, result.value);
          const cut = chunk.lastIndexOf(NEWLINE) + 1;
          pending = chunk.slice(cut);
          const lines = chunk.subarray(0, cut);
          if (cut > 0) held.push(lines);
          const first = bringsFirstText(lines);
          if (held.length > 0 && (first || performance.now() - passedAt >= options.batchMs)) {
            pass(controller);
            return;
          }
        } catch (error) {
          reading = undefined;
          // Stop pressed: let the abort travel as an abort, not as an upstream failure.
          if (options.userAborted() || isUserAbort(error)) throw error;
          fail(
            controller,
            ThinkpaneError.is(error)
              ? error
              : new ThinkpaneError("upstream:connection_lost", {
                  message:
                    "The connection to the upstream broke off before the answer was complete.",
                  cause: error,
                }),
          );
        } finally {
          timers.forEach(clearTimeout);
        }
      }
    },
    cancel(reason) {
      finished = true;
      return reader.cancel(reason);
    },
  });
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const nonEmpty = parts.filter((p) => p.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const out = new Uint8Array(nonEmpty.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of nonEmpty) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
