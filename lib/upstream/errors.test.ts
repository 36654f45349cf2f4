import {
  APICallError,
  InvalidResponseDataError,
  JSONParseError,
  RetryError,
  TypeValidationError,
} from "ai";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ThinkpaneError } from "@/lib/errors";
import {
  parseRetryAfter,
  readUpstreamErrorBody,
  toThinkpaneError,
  type UpstreamContext,
} from "./errors";
import { TRANSPORT_ERROR_TYPE } from "./fetch";

const SECRET = "sk-live-THINKPANE-unit-7f3a9c";
const ctx: UpstreamContext = {
  providerLabel: "AI/ML API",
  envVar: "AIMLAPI_API_KEY",
  secrets: [SECRET],
};

function apiCallError(options: {
  statusCode?: number;
  body?: unknown;
  headers?: Record<string, string>;
  cause?: unknown;
}): APICallError {
  return new APICallError({
    message: "upstream call failed",
    url: "https://api.aimlapi.com/v1/chat/completions",
    requestBodyValues: { model: "openai/gpt-oss-120b" },
    statusCode: options.statusCode,
    responseHeaders: options.headers,
    responseBody:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
    cause: options.cause,
  });
}

const openaiBody = (message: string) => ({
  error: { message, type: "invalid_request_error", param: null, code: null },
});
const flatBody = (statusCode: number | string, message: string) => ({
  message,
  path: "/v1/chat/completions",
  requestId: "2b1f3c1e-1d2b-4d7e-9a1a-0c2f1d2e3f4a",
  statusCode,
  timestamp: "2025-01-01T00:00:00.000Z",
});

/** What reaches the browser must never carry the key. */
function expectNoSecret(error: ThinkpaneError) {
  expect(error.message).not.toContain(SECRET);
  expect(JSON.stringify(error.toJSON())).not.toContain(SECRET);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("toThinkpaneError: HTTP errors", () => {
  it("keeps the upstream's words for an OpenAI-shape 400 (token budget too small)", () => {
    const cause = apiCallError({
      statusCode: 400,
      body: openaiBody("max_tokens or model output limit was reached"),
    });
    const error = toThinkpaneError(cause, ctx);
    expect(error.code).toBe("upstream:bad_request");
    expect(error.details.upstreamStatus).toBe(400);
    expect(error.details.upstreamMessage).toBe("max_tokens or model output limit was reached");
    expect(error.message).toContain("max_tokens or model output limit was reached");
    expect(error.message).toContain("AI/ML API");
    expect(error.cause).toBe(cause);
  });

  it("maps the AI/ML API flat shape with statusCode as a string (401)", () => {
    const body = flatBody("401", "This request requires a valid API key...");
    expect(readUpstreamErrorBody(JSON.stringify(body))).toEqual({
      message: "This request requires a valid API key...",
      status: 401,
    });
    const error = toThinkpaneError(apiCallError({ statusCode: 401, body }), ctx);
    expect(error.code).toBe("upstream:auth");
    expect(error.details.upstreamStatus).toBe(401);
    expect(error.details.upstreamMessage).toBe("This request requires a valid API key...");
    // The administrator is told which variable to check.
    expect(error.message).toContain("AIMLAPI_API_KEY");
  });

  it("maps 403 (out of credits) and 402 to forbidden", () => {
    const error = toThinkpaneError(
      apiCallError({ statusCode: 403, body: flatBody(403, "You've run out of credits...") }),
      ctx,
    );
    expect(error.code).toBe("upstream:forbidden");
    expect(error.details.upstreamMessage).toBe("You've run out of credits...");
    expect(
      toThinkpaneError(apiCallError({ statusCode: 402, body: "Payment required" }), ctx).code,
    ).toBe("upstream:forbidden");
  });

  it("maps 429 with Retry-After in seconds (any header case)", () => {
    for (const name of ["Retry-After", "retry-after"]) {
      const error = toThinkpaneError(
        apiCallError({
          statusCode: 429,
          body: flatBody(429, "Too Many Requests"),
          headers: { [name]: "7" },
        }),
        ctx,
      );
      expect(error.code).toBe("upstream:rate_limited");
      expect(error.status).toBe(429);
      expect(error.details.retryAfterSeconds).toBe(7);
      expect(error.details.upstreamMessage).toBe("Too Many Requests");
      expect(error.toResponse().headers.get("retry-after")).toBe("7");
    }
  });

  it("maps 429 with Retry-After as an HTTP date", () => {
    const now = Date.parse("2025-03-01T12:00:00.000Z");
    vi.useFakeTimers({ now, toFake: ["Date"] });
    const headers = { "retry-after": new Date(now + 30_000).toUTCString() };
    const error = toThinkpaneError(apiCallError({ statusCode: 429, body: "", headers }), ctx);
    expect(error.code).toBe("upstream:rate_limited");
    expect(error.details.retryAfterSeconds).toBe(30);
  });

  it("leaves retryAfterSeconds unset for a 429 without (or with a garbled) Retry-After", () => {
    const bare = toThinkpaneError(
      apiCallError({ statusCode: 429, body: flatBody(429, "Too Many Requests") }),
      ctx,
    );
    expect(bare.code).toBe("upstream:rate_limited");
    expect(bare.details.retryAfterSeconds).toBeUndefined();
    expect(bare.toJSON().details).not.toHaveProperty("retryAfterSeconds");
    const garbled = toThinkpaneError(
      apiCallError({ statusCode: 429, body: "", headers: { "retry-after": "soon" } }),
      ctx,
    );
    expect(garbled.details.retryAfterSeconds).toBeUndefined();
  });

  it("maps 500 and 503 to unavailable, 504 and 408 to timeout", () => {
    expect(
      toThinkpaneError(apiCallError({ statusCode: 500, body: openaiBody("Internal error") }), ctx)
        .code,
    ).toBe("upstream:unavailable");
    const unavailable = toThinkpaneError(
      apiCallError({ statusCode: 503, body: flatBody(503, "Service unavailable") }),
      ctx,
    );
    expect(unavailable.code).toBe("upstream:unavailable");
    expect(unavailable.details).toMatchObject({
      upstreamStatus: 503,
      upstreamMessage: "Service unavailable",
    });
    const timeout = toThinkpaneError(
      apiCallError({ statusCode: 504, body: flatBody("504", "Generation timeout") }),
      ctx,
    );
    expect(timeout.code).toBe("upstream:timeout");
    expect(timeout.details.upstreamMessage).toBe("Generation timeout");
    expect(toThinkpaneError(apiCallError({ statusCode: 408, body: "" }), ctx).code).toBe(
      "upstream:timeout",
    );
  });

  it("reads the OpenRouter shape {error:{code,message}}", () => {
    const body = {
      error: { code: 502, message: "Provider returned error", metadata: { provider_name: "X" } },
    };
    expect(readUpstreamErrorBody(body)).toEqual({
      message: "Provider returned error",
      status: 502,
    });
    const error = toThinkpaneError(apiCallError({ statusCode: 502, body }), ctx);
    expect(error.code).toBe("upstream:unavailable");
    expect(error.details).toMatchObject({
      upstreamStatus: 502,
      upstreamMessage: "Provider returned error",
    });
  });

  it("keeps no markup from an HTML error page", () => {
    const html =
      "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><script>x()</script></body></html>";
    const error = toThinkpaneError(apiCallError({ statusCode: 502, body: html }), ctx);
    expect(error.code).toBe("upstream:unavailable");
    expect(error.details.upstreamMessage).toBeUndefined();
    expect(error.message).not.toContain("<");
    expect(JSON.stringify(error.toJSON())).not.toContain("<html");
  });

  it("keeps a plain-text body and copes with an empty one", () => {
    expect(
      toThinkpaneError(apiCallError({ statusCode: 500, body: "upstream connect error" }), ctx)
        .details.upstreamMessage,
    ).toBe("upstream connect error");
    const empty = toThinkpaneError(apiCallError({ statusCode: 500, body: "   " }), ctx);
    expect(empty.code).toBe("upstream:unavailable");
    expect(empty.details.upstreamMessage).toBeUndefined();
    expect(toThinkpaneError(apiCallError({ statusCode: 500 }), ctx).code).toBe(
      "upstream:unavailable",
    );
  });

  it("unwraps a RetryError to its last APICallError", () => {
    const first = apiCallError({ statusCode: 503, body: flatBody(503, "Service unavailable") });
    const last = apiCallError({
      statusCode: 429,
      body: flatBody(429, "Too Many Requests"),
      headers: { "retry-after": "3" },
    });
    const retry = new RetryError({
      message: "Failed after 2 attempts",
      reason: "maxRetriesExceeded",
      errors: [first, last],
    });
    const error = toThinkpaneError(retry, ctx);
    expect(error.code).toBe("upstream:rate_limited");
    expect(error.details.retryAfterSeconds).toBe(3);
  });
});

describe("toThinkpaneError: transport failures", () => {
  it("maps a connection failure without a status to unreachable", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {
      code: "ECONNREFUSED",
    });
    const cause = new TypeError("fetch failed", { cause: refused });
    const error = toThinkpaneError(apiCallError({ cause }), ctx);
    expect(error.code).toBe("upstream:unreachable");
    expect(error.details.upstreamStatus).toBeUndefined();
  });

  it("passes through a ThinkpaneError the guarded fetch raised (connect timeout, redirect)", () => {
    const timeout = new ThinkpaneError("upstream:timeout", {
      message: "The upstream sent no response within 60 s.",
    });
    expect(toThinkpaneError(apiCallError({ cause: timeout }), ctx)).toBe(timeout);
    expect(toThinkpaneError(timeout, ctx)).toBe(timeout);
  });

  it("maps a connection dropped mid-body (undici 'terminated') to connection_lost", () => {
    const socket = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
    const terminated = new TypeError("terminated", { cause: socket });
    expect(toThinkpaneError(terminated, ctx).code).toBe("upstream:connection_lost");
    expect(toThinkpaneError(apiCallError({ cause: terminated }), ctx).code).toBe(
      "upstream:connection_lost",
    );
    expect(
      toThinkpaneError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), ctx)
        .code,
    ).toBe("upstream:connection_lost");
  });

  it("maps the in-band events fetch.ts writes back to their codes", () => {
    const stalled = toThinkpaneError(
      {
        message: "The upstream sent nothing for 60 s, so the stream was closed.",
        type: TRANSPORT_ERROR_TYPE,
        code: "upstream:stalled",
      },
      ctx,
    );
    expect(stalled.code).toBe("upstream:stalled");
    expect(stalled.message.startsWith("AI/ML API")).toBe(true);
    const lost = toThinkpaneError(
      {
        message: "The connection to the upstream broke off before the answer was complete.",
        type: "thinkpane.transport",
        code: "upstream:connection_lost",
      },
      ctx,
    );
    expect(lost.code).toBe("upstream:connection_lost");
    // Named after the provider, with what to do next.
    expect(lost.message).toBe(
      "The connection to AI/ML API broke off before the answer was complete. Regenerate to try again.",
    );
  });

  it("does not trust a transport-typed object with an unknown code", () => {
    const error = toThinkpaneError(
      { message: "x", type: TRANSPORT_ERROR_TYPE, code: "internal:pwned" },
      ctx,
    );
    expect(error.code).toBe("upstream:stream_error");
  });

  it("maps a stream that ended without a finish reason to connection_lost", () => {
    const error = toThinkpaneError(
      new InvalidResponseDataError({
        data: {},
        message: "Response stream ended without a finish reason.",
      }),
      ctx,
    );
    expect(error.code).toBe("upstream:connection_lost");
  });

  it("maps an unreadable chunk to invalid_response and anything else to internal:unexpected", () => {
    const invalid = new TypeValidationError({
      value: { nope: true },
      cause: new Error("bad shape"),
    });
    expect(toThinkpaneError(invalid, ctx).code).toBe("upstream:invalid_response");
    const cutOff = toThinkpaneError(
      new JSONParseError({ text: '{"choices":[{"de', cause: new SyntaxError("Unexpected end") }),
      ctx,
    );
    expect(cutOff.code).toBe("upstream:invalid_response");
    expect(cutOff.message).toMatch(/could not read.*Regenerate to try again/);
    expect(
      toThinkpaneError(
        new InvalidResponseDataError({ data: {}, message: "Expected 'id' to be a string." }),
        ctx,
      ).code,
    ).toBe("internal:unexpected");
    expect(toThinkpaneError(new Error("boom"), ctx).code).toBe("internal:unexpected");
    expect(toThinkpaneError("boom", ctx).code).toBe("internal:unexpected");
    expect(toThinkpaneError(undefined, ctx).code).toBe("internal:unexpected");
  });
});

describe("toThinkpaneError: errors inside a 200 stream", () => {
  it("maps a plain error object (OpenRouter mid-stream) to stream_error with its words and code", () => {
    const error = toThinkpaneError(
      { code: 502, message: "Provider returned error", metadata: { raw: "x" } },
      ctx,
    );
    expect(error.code).toBe("upstream:stream_error");
    expect(error.details).toMatchObject({
      upstreamStatus: 502,
      upstreamMessage: "Provider returned error",
    });
    expect(error.message).toContain("Provider returned error");
  });

  it("copes with an error object that has no message", () => {
    const error = toThinkpaneError({ code: "server_error" }, ctx);
    expect(error.code).toBe("upstream:stream_error");
    expect(error.details.upstreamMessage).toBeUndefined();
    expect(error.details.upstreamStatus).toBeUndefined();
  });
});

describe("scrubbing upstream words", () => {
  it("redacts the key from HTTP error bodies", () => {
    const body = openaiBody(
      `Incorrect API key provided: ${SECRET}. You can find your key at https://example.com.`,
    );
    const error = toThinkpaneError(apiCallError({ statusCode: 401, body }), ctx);
    expect(error.code).toBe("upstream:auth");
    expect(error.details.upstreamMessage).toContain("[redacted]");
    expectNoSecret(error);
  });

  it("redacts every occurrence, in flat bodies and in-stream errors too", () => {
    const flat = toThinkpaneError(
      apiCallError({ statusCode: 400, body: flatBody(400, `${SECRET} and ${SECRET}`) }),
      ctx,
    );
    expect(flat.details.upstreamMessage).toBe("[redacted] and [redacted]");
    expectNoSecret(flat);
    const inStream = toThinkpaneError({ message: `key ${SECRET} is over quota`, code: 429 }, ctx);
    expect(inStream.details.upstreamMessage).toBe("key [redacted] is over quota");
    expectNoSecret(inStream);
  });

  it.each([
    ["another provider's key", "Incorrect API key provided: sk-proj-Zx8Qm2Lp9Rt4Vw7Yb3Nc6Hd1"],
    ["a Bearer token", "Authorization header Bearer abcdef0123456789abcdef was rejected"],
    ["a key in a URL", "GET https://api.example/v1/models?api_key=q1w2e3r4t5y6 failed"],
    ["a key= parameter", "redirected to /auth?key=AbC123xYz789&x=1"],
    ["a long random token", "token 4f9a1c2e8b7d6a5f4e3d2c1b0a9f8e7d is not valid"],
  ])("redacts %s that is not the configured key", (_what, message) => {
    const leaked =
      /(sk-proj-\S+|abcdef0123456789abcdef|q1w2e3r4t5y6|AbC123xYz789|4f9a1c2e\S+)/.exec(
        message,
      )![1]!;
    const http = toThinkpaneError(
      apiCallError({ statusCode: 401, body: openaiBody(message) }),
      ctx,
    );
    const flat = toThinkpaneError(
      apiCallError({ statusCode: 400, body: flatBody(400, message) }),
      ctx,
    );
    const inStream = toThinkpaneError({ message, code: 500 }, ctx);
    for (const error of [http, flat, inStream]) {
      expect(error.details.upstreamMessage).toContain("[redacted]");
      expect(JSON.stringify(error.toJSON())).not.toContain(leaked);
      expect(error.message).not.toContain(leaked);
    }
  });

  it("truncates long messages and collapses whitespace", () => {
    const long = `${"word ".repeat(400)}end`;
    const error = toThinkpaneError(apiCallError({ statusCode: 400, body: openaiBody(long) }), ctx);
    const said = error.details.upstreamMessage ?? "";
    expect(said.length).toBeLessThanOrEqual(401);
    expect(said.endsWith("…")).toBe(true);
    expect(said).not.toContain("end");
    const spaced = toThinkpaneError(
      apiCallError({ statusCode: 400, body: openaiBody("a\n\n  b\tc") }),
      ctx,
    );
    expect(spaced.details.upstreamMessage).toBe("a b c");
  });

  it("redacts a key that straddles the truncation point", () => {
    const message = `${"x".repeat(390)}${SECRET}`;
    const error = toThinkpaneError(
      apiCallError({ statusCode: 400, body: openaiBody(message) }),
      ctx,
    );
    expect(error.details.upstreamMessage).not.toContain(SECRET.slice(0, 10));
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-03-01T12:00:00.000Z");

  it("reads delta-seconds and HTTP dates, never negative", () => {
    expect(parseRetryAfter("7", now)).toBe(7);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("1.5", now)).toBe(1.5);
    expect(parseRetryAfter("Sat, 01 Mar 2025 12:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Sat, 01 Mar 2025 11:59:00 GMT", now)).toBe(0);
    // A negative delta is not delta-seconds; whatever it is read as, it is never a negative wait.
    expect(parseRetryAfter("-3", now) ?? 0).toBeGreaterThanOrEqual(0);
  });

  it("ignores missing and unreadable values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("later", now)).toBeUndefined();
  });
});
