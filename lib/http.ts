import "server-only";
import { ThinkpaneError } from "@/lib/errors";
import { describeError, log } from "@/lib/log";
import { withRequest } from "@/lib/request-context";

/**
 * Reads a JSON request body with a size cap: a declared Content-Length over the cap is refused
 * before reading, and a body that grows past it while streaming is cut off.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () =>
    new ThinkpaneError("bad_request:too_large", {
      message: `The request body is larger than ${Math.round(maxBytes / 1000)} kB.`,
    });

  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();

  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/json")) {
    throw new ThinkpaneError("bad_request:invalid_body", {
      message: "The request body must be JSON (Content-Type: application/json).",
    });
  }
  if (!request.body)
    throw new ThinkpaneError("bad_request:invalid_body", { message: "The request body is empty." });

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  try {
    return JSON.parse(text);
  } catch {
    throw new ThinkpaneError("bad_request:invalid_body", {
      message: "The request body is not valid JSON.",
    });
  }
}

/** The first problem of a zod error as a coded 400 that names the field. */
export function invalidBody(
  issues: readonly {
    path: readonly PropertyKey[];
    message: string;
    code?: string;
    keys?: readonly string[];
  }[],
): ThinkpaneError {
  const issue = issues[0];
  if (!issue) return new ThinkpaneError("bad_request:invalid_body");
  const base = issue.path.map(String).join(".");
  // For unknown keys zod reports the parent path; name the key itself.
  const field =
    issue.code === "unrecognized_keys" && issue.keys?.length
      ? [base, issue.keys[0]].filter(Boolean).join(".")
      : base || "(body)";
  const message =
    issue.code === "unrecognized_keys"
      ? `Unknown field "${field}".`
      : `Invalid field "${field}": ${issue.message}.`;
  return new ThinkpaneError("bad_request:invalid_body", { message, details: { field } });
}

/** The response for anything a route throws: coded errors as they are, the rest as a logged 500. */
export function toErrorResponse(error: unknown, context: { event: string }): Response {
  if (ThinkpaneError.is(error)) {
    if (error.status >= 500)
      log.error(`${context.event}.failed`, {
        code: error.code,
        message: error.message,
      });
    else
      log.warn(`${context.event}.rejected`, {
        code: error.code,
        field: error.details.field,
      });
    return error.toResponse();
  }
  log.error(`${context.event}.failed`, describeError(error));
  return new ThinkpaneError("internal:unexpected").toResponse();
}

/**
 * A route handler with the app's two constants: it runs with its request id in context (every
 * log line carries it), and whatever it throws becomes the coded error response, logged as
 * `<event>.rejected` or `<event>.failed`.
 */
export function route<Args extends [Request, ...unknown[]]>(
  event: string,
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return withRequest(async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      return toErrorResponse(error, { event });
    }
  });
}
