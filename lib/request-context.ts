import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/**
 * The request id every log line carries. proxy.ts gives each request a fresh one (a browser
 * cannot choose it) in REQUEST_ID_HEADER and echoes it in the response; route handlers run
 * inside `withRequest`, and what they start (a detached generation) keeps the id.
 */

export const REQUEST_ID_HEADER = "x-request-id";

const storage = new AsyncLocalStorage<{ requestId: string }>();

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export function requestIdOf(request: Request): string {
  const id = request.headers.get(REQUEST_ID_HEADER);
  // The proxy always sets it; a handler reached some other way (a test) gets its own.
  return id && /^[0-9a-f-]{36}$/.test(id) ? id : randomUUID();
}

/** Runs a route handler with its request's id in context. */
export function withRequest<Args extends [Request, ...unknown[]]>(
  handler: (...args: Args) => Promise<Response> | Response,
): (...args: Args) => Promise<Response> {
  return (...args) =>
    storage.run({ requestId: requestIdOf(args[0]) }, async () => handler(...args));
}
