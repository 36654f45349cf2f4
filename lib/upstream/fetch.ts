import "server-only";
import { ThinkpaneError } from "@/lib/errors";
import { createDeltaCoalescer } from "./coalesce-deltas";

/**
 * The fetch every upstream call goes through. It adds what the AI SDK leaves to us:
 * - a connect timeout: time allowed until the upstream answers with headers;
 * - an idle timeout: time allowed between two chunks of the body (a stalled stream);
 * - no redirects: a 3xx is an error, so a response can never send the key to another host;
 * - the text deltas of an event stream that arrive in one network read are joined into one
 *   event per run (coalesce-deltas.ts): the SDK's cost is per event, and a fast stream would
 *   otherwise saturate the server;
 * - transport failures inside an event stream (dropped connection, stall) become an in-band
 *   error event, the same shape OpenRouter uses for errors after the stream began. The SDK then
 *   ends the turn through its ordinary error path (error part, finish, usage so far) instead of
 *   failing the whole response.
 * Aborting the caller's signal (Stop) closes the upstream connection.
 */

/** `type` of the in-band error events this module writes; errors.ts maps them back by code. */
export const TRANSPORT_ERROR_TYPE = "thinkpane.transport";

export function createUpstreamFetch(options: {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
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
 * an event for the parser), restarts an idle timer on every chunk, and on a stall or a broken
 * connection writes one error event and ends the stream.
 */
function guardEventStream(
  source: ReadableStream<Uint8Array>,
  options: {
    idleTimeoutMs: number;
    closeUpstream: (reason: unknown) => void;
    userAborted: () => boolean;
  },
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let pending = new Uint8Array(0);
  let finished = false;
  const coalesce = createDeltaCoalescer();
  const decoder = new TextDecoder();
  // Whole lines in, the same events out with text deltas joined (the bytes as they came when
  // nothing was joined).
  const joined = (lines: Uint8Array) => {
    const text = decoder.decode(lines);
    const out = coalesce(text);
    return out === text ? lines : encoder.encode(out);
  };

  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: ThinkpaneError) => {
    finished = true;
    controller.enqueue(errorEvent(error));
    controller.close();
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A pull that enqueues nothing is never called again, so read until a whole line can go out.
      while (!finished) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const stalled = new Promise<"stalled">((resolve) => {
          timer = setTimeout(() => resolve("stalled"), options.idleTimeoutMs);
        });
        try {
          const result = await Promise.race([reader.read(), stalled]);
          if (result === "stalled") {
            const error = new ThinkpaneError("upstream:stalled", {
              message: `The upstream sent nothing for ${seconds(options.idleTimeoutMs)} s, so the stream was closed.`,
            });
            options.closeUpstream(error);
            fail(controller, error);
            return;
          }
          if (result.done) {
            finished = true;
            if (pending.length > 0) controller.enqueue(joined(pending));
            controller.close();
            return;
          }
          const chunk = concat(pending, result.value);
          const cut = chunk.lastIndexOf(NEWLINE) + 1;
          pending = chunk.slice(cut);
          if (cut > 0) {
            controller.enqueue(joined(chunk.subarray(0, cut)));
            return;
          }
        } catch (error) {
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
          clearTimeout(timer);
        }
      }
    },
    cancel(reason) {
      finished = true;
      return reader.cancel(reason);
    },
  });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
