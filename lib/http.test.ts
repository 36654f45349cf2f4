import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { EnvError } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";
import { invalidBody, readJsonBody, toErrorResponse } from "@/lib/http";
import { settingsSchema } from "@/lib/params";
import { REQUEST_ID_HEADER, withRequest } from "@/lib/request-context";
import { openTestDatabase } from "@/lib/testing/db";

const MAX = 1024;

function jsonRequest(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/api/chat", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    // Needed for a ReadableStream body; harmless otherwise.
    duplex: "half",
  } as RequestInit);
}

/** A body streamed in chunks with no Content-Length; records how much was pulled and whether it was cancelled. */
function chunkedBody(chunks: string[]) {
  const state = { pulled: 0, cancelled: false };
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[state.pulled];
      if (next === undefined) {
        controller.close();
        return;
      }
      state.pulled += 1;
      controller.enqueue(encoder.encode(next));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

async function rejection(promise: Promise<unknown>): Promise<ThinkpaneError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ThinkpaneError);
  return error as ThinkpaneError;
}

describe("readJsonBody", () => {
  it("parses a JSON body within the limit, exactly at the limit included", async () => {
    await expect(readJsonBody(jsonRequest('{"a":[1,2,"ü"]}'), MAX)).resolves.toEqual({
      a: [1, 2, "ü"],
    });
    const exact = JSON.stringify({ pad: "x".repeat(MAX - 10) });
    expect(new TextEncoder().encode(exact).byteLength).toBe(MAX);
    await expect(readJsonBody(jsonRequest(exact), MAX)).resolves.toEqual({
      pad: "x".repeat(MAX - 10),
    });
  });

  it("accepts a charset parameter and upper-case media type", async () => {
    await expect(
      readJsonBody(jsonRequest("[1]", { "content-type": "Application/JSON; charset=utf-8" }), MAX),
    ).resolves.toEqual([1]);
  });

  it("refuses a declared Content-Length over the limit with 413 before reading the body", async () => {
    const request = jsonRequest("{}", { "content-length": String(MAX + 1) });
    const error = await rejection(readJsonBody(request, MAX));
    expect(error.code).toBe("bad_request:too_large");
    expect(error.status).toBe(413);
    expect(request.bodyUsed).toBe(false);
  });

  it("cuts off a streamed body without Content-Length once it grows past the limit", async () => {
    const { stream, state } = chunkedBody([
      '{"pad":"',
      "x".repeat(600),
      "x".repeat(600),
      "x".repeat(600),
      '"}',
    ]);
    const error = await rejection(readJsonBody(jsonRequest(stream), MAX));
    expect(error.code).toBe("bad_request:too_large");
    expect(error.toResponse().status).toBe(413);
    // It stopped at the chunk that crossed the limit and cancelled the rest.
    expect(state.pulled).toBeLessThan(5);
    expect(state.cancelled).toBe(true);
  });

  it("cuts off a body whose Content-Length understates its size", async () => {
    const big = JSON.stringify({ pad: "x".repeat(MAX * 2) });
    const error = await rejection(readJsonBody(jsonRequest(big, { "content-length": "10" }), MAX));
    expect(error.code).toBe("bad_request:too_large");
  });

  it("refuses a body that is not declared as JSON", async () => {
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const error = await rejection(readJsonBody(jsonRequest("{}", { "content-type": type }), MAX));
      expect(error.code).toBe("bad_request:invalid_body");
      expect(error.status).toBe(400);
    }
    const noType = new Request("http://localhost/api/chat", {
      method: "POST",
      body: new Uint8Array([123, 125]),
    });
    expect(noType.headers.get("content-type")).toBeNull();
    expect((await rejection(readJsonBody(noType, MAX))).code).toBe("bad_request:invalid_body");
  });

  it("refuses invalid JSON and an empty body", async () => {
    for (const body of ["{", "{'a':1}", "undefined", ""]) {
      const error = await rejection(readJsonBody(jsonRequest(body), MAX));
      expect(error.code).toBe("bad_request:invalid_body");
    }
    const error = await rejection(readJsonBody(jsonRequest(null), MAX));
    expect(error.code).toBe("bad_request:invalid_body");
  });
});

describe("invalidBody", () => {
  const bodySchema = z.object({ settings: settingsSchema }).strict();

  it("makes a coded 400 that names the nested field", async () => {
    const parsed = bodySchema.safeParse({
      settings: { model: "m", params: { temperature: 2.01 } },
    });
    expect(parsed.success).toBe(false);
    const error = invalidBody(parsed.error?.issues ?? []);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.status).toBe(400);
    expect(error.details.field).toBe("settings.params.temperature");
    expect(error.message).toContain("settings.params.temperature");
    const response = error.toResponse();
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { field: string } } };
    expect(body.error.code).toBe("bad_request:invalid_body");
    expect(body.error.details.field).toBe("settings.params.temperature");
  });

  it("names the unknown key itself for unrecognized keys, nested or top-level", () => {
    const nested = bodySchema.safeParse({ settings: { model: "m", params: { max_tokens: 5 } } });
    const nestedError = invalidBody(nested.error?.issues ?? []);
    expect(nestedError.code).toBe("bad_request:invalid_body");
    expect(nestedError.details.field).toBe("settings.params.max_tokens");
    expect(nestedError.message).toContain("settings.params.max_tokens");

    const top = bodySchema.safeParse({ settings: { model: "m" }, apiKey: "x" });
    expect(invalidBody(top.error?.issues ?? []).details.field).toBe("apiKey");
  });

  it("names the body itself when the problem has no path, and copes with no issues", () => {
    const parsed = bodySchema.safeParse("not an object");
    expect(invalidBody(parsed.error?.issues ?? []).details.field).toBe("(body)");
    const none = invalidBody([]);
    expect(none.code).toBe("bad_request:invalid_body");
    expect(none.details.field).toBeUndefined();
  });
});

describe("toErrorResponse", () => {
  function captureLogs(): string[] {
    const lines: string[] = [];
    for (const method of ["log", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(" "));
      });
    }
    return lines;
  }

  it("logs a database error by class and SQLSTATE, never the values its message quotes", async () => {
    const secret = "my-private-message-7f3a";
    const database = await openTestDatabase("pglite");
    let failure: unknown;
    try {
      await database.db.execute(sql`select ${secret}::int`);
    } catch (error) {
      failure = error;
    } finally {
      await database.close();
    }
    // The premise: the driver's own words quote the value.
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message) + String((failure as Error).cause)).toContain(secret);

    const lines = captureLogs();
    const requestId = "5f0c2a9e-7b41-4c1d-9e2f-3a6b8c0d1e2f";
    const response = await withRequest(async (_request: Request) =>
      toErrorResponse(failure, { event: "test" }),
    )(new Request("http://app/x", { headers: { [REQUEST_ID_HEADER]: requestId } }));
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(ThinkpaneError.fromText(body).code).toBe("internal:unexpected");
    expect(body).not.toContain(secret);

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: "error",
      event: "test.failed",
      requestId,
      error: "DrizzleQueryError",
      // invalid_text_representation
      code: "22P02",
    });
  }, 30_000);

  it("logs a thrown non-error by its type only", () => {
    const lines = captureLogs();
    toErrorResponse("password=hunter2", { event: "test" });
    toErrorResponse(null, { event: "test" });
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ event: "test.failed", error: "string" }),
      expect.objectContaining({ event: "test.failed", error: "null" }),
    ]);
    expect(lines.join("\n")).not.toContain("hunter2");
  });

  it("keeps the message of a configuration error: it names the setting to fix", () => {
    const lines = captureLogs();
    const response = toErrorResponse(
      new EnvError("Invalid configuration:\n  THINKPANE_PROVIDERS: is not valid JSON"),
      { event: "test" },
    );
    expect(response.status).toBe(500);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      error: "EnvError",
      message: expect.stringContaining("THINKPANE_PROVIDERS"),
    });
  });

  it("logs coded errors by code, and sends them as they are", async () => {
    const lines = captureLogs();
    const response = toErrorResponse(
      new ThinkpaneError("bad_request:invalid_body", { details: { field: "settings.model" } }),
      { event: "test" },
    );
    expect(response.status).toBe(400);
    expect(ThinkpaneError.fromText(await response.text()).code).toBe("bad_request:invalid_body");
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: "warn",
      event: "test.rejected",
      code: "bad_request:invalid_body",
      field: "settings.model",
    });
  });
});
