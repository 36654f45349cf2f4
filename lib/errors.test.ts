import { describe, expect, it, vi } from "vitest";
import {
  defaultMessageOf,
  errorCodes,
  ThinkpaneError,
  titleOf,
  type ErrorCode,
  type ErrorPayload,
} from "@/lib/errors";

const expectedStatus: Record<ErrorCode, number> = {
  "bad_request:invalid_body": 400,
  "bad_request:too_large": 413,
  "bad_request:unknown_model": 400,
  "forbidden:origin": 403,
  not_found: 404,
  "conflict:generating": 409,
  "conflict:name_taken": 409,
  "auth:required": 401,
  "auth:invalid_code": 401,
  "rate_limited:sign_in": 429,
  "rate_limited:requests": 429,
  "rate_limited:tokens": 429,
  "rate_limited:user_streams": 429,
  "rate_limited:server_streams": 429,
  "rate_limited:budget": 429,
  "rate_limited:followers": 429,
  "gone:replay": 410,
  "config:missing_key": 503,
  "upstream:auth": 502,
  "upstream:forbidden": 502,
  "upstream:rate_limited": 429,
  "upstream:bad_request": 502,
  "upstream:timeout": 504,
  "upstream:unavailable": 502,
  "upstream:unreachable": 502,
  "upstream:stream_error": 502,
  "upstream:connection_lost": 502,
  "upstream:stalled": 504,
  "upstream:invalid_response": 502,
  "internal:unexpected": 500,
};

describe("ThinkpaneError", () => {
  it.each(errorCodes)("%s has its status, a title and a default message", (code) => {
    const error = new ThinkpaneError(code);
    expect(error.status).toBe(expectedStatus[code]);
    expect(error.title).toBe(titleOf(code));
    expect(error.title.length).toBeGreaterThan(0);
    expect(error.message).toBe(defaultMessageOf(code));
    expect(error.name).toBe("ThinkpaneError");
    expect(error).toBeInstanceOf(Error);
    expect(ThinkpaneError.is(error)).toBe(true);
  });

  it("covers exactly the codes the app knows", () => {
    expect([...errorCodes].sort()).toEqual(Object.keys(expectedStatus).sort());
  });

  it("is() recognises only real instances", () => {
    expect(ThinkpaneError.is(new Error("x"))).toBe(false);
    expect(ThinkpaneError.is({ code: "upstream:auth", message: "x" })).toBe(false);
    expect(ThinkpaneError.is(undefined)).toBe(false);
  });

  it("toJSON keeps code, message and defined details, never the cause", () => {
    const cause = new Error("secret-bearing low-level error");
    const error = new ThinkpaneError("upstream:rate_limited", {
      message: "Slow down.",
      details: { retryAfterSeconds: 7, upstreamStatus: 429, upstreamMessage: undefined },
      cause,
    });
    expect(error.cause).toBe(cause);
    expect(error.toJSON()).toEqual({
      code: "upstream:rate_limited",
      message: "Slow down.",
      details: { retryAfterSeconds: 7, upstreamStatus: 429 },
    });
    expect(JSON.stringify(error)).not.toContain("secret-bearing");
    // No details at all: the key is absent rather than empty.
    expect(new ThinkpaneError("upstream:auth", { details: { field: undefined } }).toJSON()).toEqual(
      {
        code: "upstream:auth",
        message: defaultMessageOf("upstream:auth"),
      },
    );
  });

  it("round-trips through toJSON/fromJSON, fromUnknown and fromText", () => {
    const original = new ThinkpaneError("bad_request:invalid_body", {
      message: 'Invalid field "settings.params.temperature": too big.',
      details: { field: "settings.params.temperature" },
    });
    const payload = original.toJSON();
    for (const rebuilt of [
      ThinkpaneError.fromJSON(payload),
      ThinkpaneError.fromUnknown(JSON.parse(JSON.stringify(payload))),
      ThinkpaneError.fromText(JSON.stringify(payload)),
      ThinkpaneError.fromText(JSON.stringify({ error: payload })),
    ]) {
      expect(rebuilt).toBeInstanceOf(ThinkpaneError);
      expect(rebuilt.code).toBe("bad_request:invalid_body");
      expect(rebuilt.message).toBe(original.message);
      expect(rebuilt.details).toEqual({ field: "settings.params.temperature" });
      expect(rebuilt.toJSON()).toEqual(payload);
    }
  });

  it("round-trips every code", () => {
    for (const code of errorCodes) {
      const payload: ErrorPayload = new ThinkpaneError(code, {
        details: { upstreamStatus: 500 },
      }).toJSON();
      expect(ThinkpaneError.fromText(JSON.stringify(payload)).toJSON()).toEqual(payload);
    }
  });

  it("fromUnknown turns anything that is not a payload into internal:unexpected", () => {
    for (const value of [
      null,
      undefined,
      "upstream:auth",
      42,
      {},
      { code: "nope:nope", message: "x" },
      { code: "upstream:auth" },
    ]) {
      expect(ThinkpaneError.fromUnknown(value).code).toBe("internal:unexpected");
    }
    expect(ThinkpaneError.fromUnknown({ code: "upstream:stalled", message: "m" }).code).toBe(
      "upstream:stalled",
    );
  });

  it("fromText keeps non-JSON text (trimmed, capped) as an unexpected error", () => {
    const plain = ThinkpaneError.fromText("  Bad gateway  ");
    expect(plain.code).toBe("internal:unexpected");
    expect(plain.message).toBe("Bad gateway");
    expect(ThinkpaneError.fromText("x".repeat(2000)).message).toHaveLength(500);
    expect(ThinkpaneError.fromText("").message).toBe(defaultMessageOf("internal:unexpected"));
    expect(ThinkpaneError.fromText('{"error":{"code":"made:up","message":"m"}}').code).toBe(
      "internal:unexpected",
    );
    expect(ThinkpaneError.fromText("An error occurred.").code).toBe("internal:unexpected");
  });

  it("toResponse sends the status, JSON body and no-store", async () => {
    const error = new ThinkpaneError("config:missing_key", {
      details: { envVar: "AIMLAPI_API_KEY" },
    });
    const response = error.toResponse();
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("retry-after")).toBeNull();
    expect(await response.json()).toEqual({ error: error.toJSON() });
  });

  it("toResponse sets Retry-After, rounded up to whole seconds", async () => {
    const exact = new ThinkpaneError("upstream:rate_limited", {
      details: { retryAfterSeconds: 7 },
    }).toResponse();
    expect(exact.status).toBe(429);
    expect(exact.headers.get("retry-after")).toBe("7");
    const fractional = new ThinkpaneError("upstream:rate_limited", {
      details: { retryAfterSeconds: 2.1 },
    }).toResponse();
    expect(fractional.headers.get("retry-after")).toBe("3");
    const zero = new ThinkpaneError("upstream:rate_limited", {
      details: { retryAfterSeconds: 0 },
    }).toResponse();
    expect(zero.headers.get("retry-after")).toBe("0");
    const rebuilt = ThinkpaneError.fromText(await exact.text());
    expect(rebuilt.code).toBe("upstream:rate_limited");
    expect(rebuilt.details.retryAfterSeconds).toBe(7);
  });
});

describe("ThinkpaneError.is across bundles", () => {
  it("recognises an error made by another copy of the class (another route bundle)", async () => {
    vi.resetModules();
    const other = (await import("@/lib/errors")) as typeof import("@/lib/errors");
    const foreign = new other.ThinkpaneError("rate_limited:requests");
    expect(other.ThinkpaneError).not.toBe(ThinkpaneError);
    expect(foreign instanceof ThinkpaneError).toBe(false);
    expect(ThinkpaneError.is(foreign)).toBe(true);
    expect(ThinkpaneError.is(new Error("plain"))).toBe(false);
    expect(ThinkpaneError.is({ code: "not_found" })).toBe(false);
  });
});
