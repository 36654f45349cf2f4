import { z } from "zod";

/**
 * One error type for the whole app. The code decides the HTTP status and the message a
 * person sees; details (the upstream's own words, a field name, a retry delay) ride along.
 * The server turns it into JSON (`toJSON`); the client rebuilds the same class (`fromJSON`).
 */

type ErrorDefinition = { status: number; message: string; title: string };

const definitions = {
  "bad_request:invalid_body": {
    status: 400,
    title: "Invalid request",
    message: "The request is invalid.",
  },
  "bad_request:too_large": {
    status: 413,
    title: "Request too large",
    message: "The request is larger than this server accepts.",
  },
  "bad_request:unknown_model": {
    status: 400,
    title: "Unknown model",
    message: "That model is not configured on this server.",
  },
  "forbidden:origin": {
    status: 403,
    title: "Cross-site request refused",
    message: "This request came from another site and was refused.",
  },
  not_found: {
    status: 404,
    title: "Not found",
    message: "There is nothing here, or it is not yours.",
  },
  "conflict:generating": {
    status: 409,
    title: "Still generating",
    message: "This conversation is still generating a turn. Stop it or wait for it to finish.",
  },
  "conflict:name_taken": {
    status: 409,
    title: "Name taken",
    message: "You already have a preset with that name.",
  },
  "quota:conversations": {
    status: 409,
    title: "Conversation limit reached",
    message: "You have as many conversations stored as this server keeps for one person.",
  },
  "quota:messages": {
    status: 409,
    title: "Message limit reached",
    message: "You have as many messages stored as this server keeps for one person.",
  },
  "quota:storage": {
    status: 413,
    title: "Storage limit reached",
    message: "Your conversations take as much space as this server keeps for one person.",
  },
  "auth:required": {
    status: 401,
    title: "Sign-in required",
    message: "Sign in with your access code to use this server.",
  },
  "auth:invalid_code": {
    status: 401,
    title: "Wrong access code",
    message: "That access code is not valid.",
  },
  "rate_limited:sign_in": {
    status: 429,
    title: "Too many wrong codes",
    message: "Too many wrong access codes from this address. Wait before trying again.",
  },
  "rate_limited:requests": {
    status: 429,
    title: "Request limit reached",
    message: "You have sent too many requests this minute.",
  },
  "rate_limited:tokens": {
    status: 429,
    title: "Daily token budget used",
    message: "You have used today's token budget.",
  },
  "rate_limited:user_streams": {
    status: 429,
    title: "Too many answers at once",
    message: "You already have as many answers generating as this server allows.",
  },
  "rate_limited:copies": {
    status: 429,
    title: "Too many imports, copies or links",
    message: "You have imported, copied or shared too many conversations this minute.",
  },
  "rate_limited:server_streams": {
    status: 429,
    title: "Server busy",
    message: "The server is generating as many answers as it allows at once.",
  },
  "rate_limited:budget": {
    status: 429,
    title: "Daily budget reached",
    message: "This server has spent its budget for today.",
  },
  "rate_limited:followers": {
    status: 429,
    title: "Too many open views",
    message: "You are following as many running answers as this server allows. Close a tab first.",
  },
  "gone:replay": {
    status: 410,
    title: "Cannot replay this answer",
    message: "This answer can no longer be replayed here. Reload the page to see it.",
  },
  "config:missing_key": {
    status: 503,
    title: "No API key configured",
    message: "The server has no API key for this model's provider.",
  },
  "upstream:auth": {
    status: 502,
    title: "API key rejected",
    message: "The upstream rejected the server's API key.",
  },
  "upstream:forbidden": {
    status: 502,
    title: "Request refused",
    message: "The upstream refused the request.",
  },
  "upstream:rate_limited": {
    status: 429,
    title: "Rate limited",
    message: "The upstream is rate limiting requests.",
  },
  "upstream:bad_request": {
    status: 502,
    title: "Upstream rejected the request",
    message: "The upstream rejected the request.",
  },
  "upstream:timeout": {
    status: 504,
    title: "Upstream timed out",
    message: "The upstream took too long to answer.",
  },
  "upstream:unavailable": {
    status: 502,
    title: "Upstream unavailable",
    message: "The upstream is unavailable or failed.",
  },
  "upstream:unreachable": {
    status: 502,
    title: "Upstream unreachable",
    message: "The server could not connect to the upstream.",
  },
  "upstream:stream_error": {
    status: 502,
    title: "Error during generation",
    message: "The upstream reported an error while generating.",
  },
  "upstream:connection_lost": {
    status: 502,
    title: "Connection lost",
    message: "The connection to the upstream broke off before the answer was complete.",
  },
  "upstream:stalled": {
    status: 504,
    title: "Stream stalled",
    message: "The upstream stopped sending data mid-answer.",
  },
  "upstream:invalid_response": {
    status: 502,
    title: "Unreadable response",
    message: "The upstream sent a response this server could not read.",
  },
  "internal:unexpected": {
    status: 500,
    title: "Unexpected error",
    message: "Something went wrong on the server.",
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof definitions;
export const errorCodes = Object.keys(definitions) as ErrorCode[];

export type ErrorDetails = {
  /** The request field at fault, as a dotted path. */
  field?: string;
  /** Seconds to wait before trying again, when known. */
  retryAfterSeconds?: number;
  /** HTTP status the upstream answered with. */
  upstreamStatus?: number;
  /** The upstream's own message, trimmed and scrubbed. */
  upstreamMessage?: string;
  /** The environment variable an administrator must set. */
  envVar?: string;
  /** The budget that was reached, in words ("requests per minute"). */
  limit?: string;
};

/** Longer than any detail this app writes (an upstream's message is cut at 400 characters). */
const detail = z.string().max(1_000);

/**
 * An error as it travels and is stored (a turn's metadata): a known code, and text no longer
 * than this app writes, so that a crafted file cannot store or show more.
 */
export const errorPayloadSchema = z.object({
  code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]),
  message: z.string().max(2_000),
  details: z
    .object({
      field: detail.optional(),
      retryAfterSeconds: z.number().optional(),
      upstreamStatus: z.number().optional(),
      upstreamMessage: detail.optional(),
      envVar: detail.optional(),
      limit: detail.optional(),
    })
    .optional(),
});

export type ErrorPayload = z.infer<typeof errorPayloadSchema>;

const BRAND = Symbol.for("thinkpane.error");
type Branded = { [BRAND]?: boolean };

export class ThinkpaneError extends Error {
  override name = "ThinkpaneError";
  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(
    code: ErrorCode,
    options: { message?: string; details?: ErrorDetails; cause?: unknown } = {},
  ) {
    super(options.message ?? definitions[code].message, { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  get status(): number {
    return definitions[this.code].status;
  }

  get title(): string {
    return definitions[this.code].title;
  }

  /**
   * By brand, not only instanceof: Next.js bundles this module once per route, and an error
   * thrown by a shared singleton (the limits, the generation bus, on globalThis) may come from
   * another bundle's copy of the class.
   */
  static is(value: unknown): value is ThinkpaneError {
    return (
      value instanceof ThinkpaneError ||
      (typeof value === "object" && value !== null && (value as Branded)[BRAND] === true)
    );
  }

  toJSON(): ErrorPayload {
    const details = Object.fromEntries(
      Object.entries(this.details).filter(([, v]) => v !== undefined),
    ) as ErrorDetails;
    return {
      code: this.code,
      message: this.message,
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
  }

  toResponse(): Response {
    const headers = new Headers({
      "content-type": "application/json",
      "cache-control": "no-store",
    });
    if (this.details.retryAfterSeconds !== undefined) {
      headers.set("retry-after", String(Math.ceil(this.details.retryAfterSeconds)));
    }
    return new Response(JSON.stringify({ error: this.toJSON() }), { status: this.status, headers });
  }

  static fromJSON(payload: ErrorPayload): ThinkpaneError {
    return new ThinkpaneError(payload.code, { message: payload.message, details: payload.details });
  }

  /** Rebuilds an error from a payload of unknown shape (e.g. message metadata). */
  static fromUnknown(value: unknown): ThinkpaneError {
    const parsed = errorPayloadSchema.safeParse(value);
    return parsed.success
      ? ThinkpaneError.fromJSON(parsed.data)
      : new ThinkpaneError("internal:unexpected");
  }

  /**
   * Rebuilds an error from text the client received: a JSON error body (`{ error: {...} }`),
   * a bare payload (an in-stream error part), or anything else (kept as an unexpected error).
   */
  static fromText(text: string): ThinkpaneError {
    try {
      const json: unknown = JSON.parse(text);
      const candidate =
        json && typeof json === "object" && "error" in json
          ? (json as { error: unknown }).error
          : json;
      const parsed = errorPayloadSchema.safeParse(candidate);
      if (parsed.success) return ThinkpaneError.fromJSON(parsed.data);
    } catch {
      // Not JSON: fall through to a generic error that keeps the text.
    }
    // Text from somewhere other than this server's own errors (a proxy's page). Not scrubbed
    // here: this runs in the browser, which never holds a key, and the server scrubs upstream
    // text before it sends or stores it (lib/security/redact.ts).
    return new ThinkpaneError("internal:unexpected", {
      message: text.trim() ? text.trim().slice(0, 500) : definitions["internal:unexpected"].message,
    });
  }
}

export function titleOf(code: ErrorCode): string {
  return definitions[code].title;
}

export function defaultMessageOf(code: ErrorCode): string {
  return definitions[code].message;
}
