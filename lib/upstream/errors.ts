import { APICallError, InvalidResponseDataError, JSONParseError, RetryError } from "ai";
import { errorCodes, ThinkpaneError, type ErrorCode } from "@/lib/errors";
import { redactKeyLike } from "@/lib/security/redact";
import { TRANSPORT_ERROR_TYPE } from "./fetch";

/**
 * Maps every failure of an upstream call onto one coded ThinkpaneError: HTTP errors in the
 * OpenAI, AI/ML API (flat) and OpenRouter shapes, errors inside a 200 stream, broken and
 * stalled connections. The original error stays as `cause` for the logs; what reaches the
 * browser is the code, a message, and the upstream's own words (trimmed, secrets scrubbed).
 */

const MAX_UPSTREAM_MESSAGE = 400;

/** What a person can do about a turn that failed after it began: ask for it again. */
const REGENERATE = "Regenerate to try again.";

/** Pulls a human message (and a status, for the flat shape) out of any known error body. */
export function readUpstreamErrorBody(body: unknown): { message?: string; status?: number } {
  let value = body;
  if (typeof value === "string") {
    const text = value.trim();
    if (!text) return {};
    try {
      value = JSON.parse(text);
    } catch {
      // Plain-text or HTML body: keep a short, tag-free excerpt.
      return { message: text.startsWith("<") ? undefined : text };
    }
  }
  if (!value || typeof value !== "object") return {};
  const record = value as Record<string, unknown>;
  const error = record.error;
  // OpenAI and OpenRouter: { error: { message, type?, code? } }
  if (error && typeof error === "object") {
    const e = error as Record<string, unknown>;
    const status = typeof e.code === "number" ? e.code : undefined;
    return { message: typeof e.message === "string" ? e.message : undefined, status };
  }
  if (typeof error === "string") return { message: error };
  // AI/ML API flat: { message, path, requestId, statusCode (number or string), timestamp }
  const statusCode = Number(record.statusCode);
  return {
    message: typeof record.message === "string" ? record.message : undefined,
    status: Number.isInteger(statusCode) && statusCode > 0 ? statusCode : undefined,
  };
}

/** Replaces every secret in a text with "[redacted]" (error messages, recorded exchanges). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets)
    if (secret && out.includes(secret)) out = out.split(secret).join("[redacted]");
  return out;
}

/**
 * The upstream's words as shown and stored: the configured keys first (exactly), then anything
 * else that looks like a key (another key the upstream echoed, a token in a URL), then trimmed.
 */
function scrub(message: string | undefined, secrets: readonly string[]): string | undefined {
  if (!message) return undefined;
  let out = redactKeyLike(redactSecrets(message.replace(/\s+/g, " ").trim(), secrets));
  if (out.length > MAX_UPSTREAM_MESSAGE) out = `${out.slice(0, MAX_UPSTREAM_MESSAGE)}…`;
  return out || undefined;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return "upstream:auth";
  if (status === 402 || status === 403) return "upstream:forbidden";
  if (status === 429) return "upstream:rate_limited";
  if (status === 408 || status === 504) return "upstream:timeout";
  if (status >= 500) return "upstream:unavailable";
  if (status >= 400) return "upstream:bad_request";
  return "upstream:invalid_response";
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(
  value: string | undefined | null,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

function describe(
  code: ErrorCode,
  status: number | undefined,
  upstreamMessage: string | undefined,
  extra: { retryAfterSeconds?: number; providerLabel: string; envVar?: string },
): string {
  const where = extra.providerLabel;
  const said = upstreamMessage ? ` ${where} said: “${upstreamMessage}”` : "";
  const http = status ? ` (HTTP ${status})` : "";
  // Each message names the cause, then what to do about it, then the upstream's own words.
  switch (code) {
    case "upstream:auth":
      return `${where} rejected the server's API key${http}. ${extra.envVar ? `Check ${extra.envVar}.` : "Check the server's API key for this provider."}${said}`;
    case "upstream:forbidden":
      return `${where} refused the request${http}; the account may be out of credits. Check the account's credits and permissions with ${where}.${said}`;
    case "upstream:rate_limited":
      return `${where} is rate limiting requests${http}.${extra.retryAfterSeconds !== undefined ? ` Try again in ${Math.ceil(extra.retryAfterSeconds)} s.` : " Try again shortly."}${said}`;
    case "upstream:timeout":
      return `${where} timed out${http}. Try again in a moment; a lower reasoning effort finishes sooner.${said}`;
    case "upstream:unavailable":
      return `${where} is unavailable or failed${http}. Try again in a moment.${said}`;
    case "upstream:bad_request":
      return `${where} rejected the request${http}. Check the parameters.${said}`;
    default:
      return `${where} sent an unexpected response${http}. Check the provider's base URL.${said}`;
  }
}

export type UpstreamContext = {
  providerLabel: string;
  envVar?: string;
  secrets: readonly string[];
};

function fromStatus(
  status: number,
  body: unknown,
  headers: Record<string, string> | undefined,
  ctx: UpstreamContext,
  cause: unknown,
): ThinkpaneError {
  const parsed = readUpstreamErrorBody(body);
  const upstreamMessage = scrub(parsed.message, ctx.secrets);
  const code = codeForStatus(status);
  const retryAfterSeconds =
    code === "upstream:rate_limited" ? parseRetryAfter(header(headers, "retry-after")) : undefined;
  return new ThinkpaneError(code, {
    message: describe(code, status, upstreamMessage, {
      retryAfterSeconds,
      providerLabel: ctx.providerLabel,
      envVar: ctx.envVar,
    }),
    details: { upstreamStatus: status, upstreamMessage, retryAfterSeconds },
    cause,
  });
}

function isConnectionLost(error: unknown): boolean {
  // undici: TypeError("terminated") with a SocketError cause when the peer drops mid-body.
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (
      current.message === "terminated" ||
      code === "UND_ERR_SOCKET" ||
      code === "ECONNRESET" ||
      code === "EPIPE"
    )
      return true;
    current = current.cause;
  }
  return false;
}

function isTransportError(error: unknown): error is { message: string; code: ErrorCode } {
  if (!error || typeof error !== "object") return false;
  const e = error as Record<string, unknown>;
  return (
    e.type === TRANSPORT_ERROR_TYPE &&
    typeof e.message === "string" &&
    errorCodes.includes(e.code as ErrorCode)
  );
}

export function toThinkpaneError(error: unknown, ctx: UpstreamContext): ThinkpaneError {
  if (ThinkpaneError.is(error)) return error;
  if (RetryError.isInstance(error)) return toThinkpaneError(error.lastError, ctx);

  if (APICallError.isInstance(error)) {
    if (error.statusCode !== undefined) {
      return fromStatus(error.statusCode, error.responseBody, error.responseHeaders, ctx, error);
    }
    if (ThinkpaneError.is(error.cause)) return error.cause;
    if (isConnectionLost(error.cause ?? error)) {
      return new ThinkpaneError("upstream:connection_lost", {
        cause: error,
        message: `The connection to ${ctx.providerLabel} broke off. ${REGENERATE}`,
      });
    }
    return new ThinkpaneError("upstream:unreachable", {
      message: `The server could not connect to ${ctx.providerLabel}. Check the provider's base URL and the network.`,
      cause: error,
    });
  }

  if (
    InvalidResponseDataError.isInstance(error) &&
    /without a finish reason/i.test(error.message)
  ) {
    return new ThinkpaneError("upstream:connection_lost", {
      message: `${ctx.providerLabel} ended the stream before the answer was complete. ${REGENERATE}`,
      cause: error,
    });
  }

  if (isConnectionLost(error)) {
    return new ThinkpaneError("upstream:connection_lost", {
      message: `The connection to ${ctx.providerLabel} broke off before the answer was complete. ${REGENERATE}`,
      cause: error,
    });
  }

  // A transport failure that fetch.ts wrote into the stream (stall, dropped connection).
  if (isTransportError(error)) {
    return new ThinkpaneError(error.code, {
      message: `${error.message.replace(/^The upstream|the upstream/, ctx.providerLabel)} ${REGENERATE}`,
    });
  }

  // An error object sent inside a 200 stream (OpenRouter): { message, code?, metadata? }.
  if (error && typeof error === "object" && !(error instanceof Error)) {
    const parsed = readUpstreamErrorBody({ error });
    const upstreamMessage = scrub(parsed.message, ctx.secrets);
    const status = parsed.status;
    return new ThinkpaneError("upstream:stream_error", {
      message: `${ctx.providerLabel} reported an error while generating${status ? ` (code ${status})` : ""}. ${REGENERATE}${upstreamMessage ? ` It said: “${upstreamMessage}”` : ""}`,
      details: { upstreamMessage, upstreamStatus: status },
      cause: error,
    });
  }

  if (
    JSONParseError.isInstance(error) ||
    (error instanceof Error && error.name === "AI_TypeValidationError")
  ) {
    return new ThinkpaneError("upstream:invalid_response", {
      message: `${ctx.providerLabel} sent a chunk this server could not read; the answer may be missing a piece. ${REGENERATE}`,
      cause: error,
    });
  }

  return new ThinkpaneError("internal:unexpected", { cause: error });
}
