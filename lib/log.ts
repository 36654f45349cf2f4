import "server-only";
import { EnvError } from "@/lib/env";
import { currentRequestId } from "@/lib/request-context";

/**
 * Structured JSON-line logs, each with the request id of the request it belongs to (see
 * lib/request-context.ts). Callers pass plain fields; never an error object or a request
 * (they can carry headers with the key). Messages are the caller's own words.
 */
type Level = "info" | "warn" | "error";
type Fields = Record<string, string | number | boolean | undefined | null>;

function write(level: Level, event: string, fields: Fields): void {
  const line = JSON.stringify({
    level,
    time: new Date().toISOString(),
    event,
    ...fields,
    requestId: fields.requestId ?? currentRequestId(),
  });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  info: (event: string, fields: Fields = {}) => write("info", event, fields),
  warn: (event: string, fields: Fields = {}) => write("warn", event, fields),
  error: (event: string, fields: Fields = {}) => write("error", event, fields),
};

/**
 * What can safely be logged of an error nobody coded: its class and a machine code (a
 * PostgreSQL SQLSTATE, a Node errno), for it and its cause. Not its message: a database error
 * quotes the query with its values, which are people's messages. A configuration error is the
 * exception: its message names the setting at fault, which an operator needs, and no secret.
 */
export function describeError(error: unknown): Record<string, string | undefined> {
  if (error instanceof EnvError) return { error: error.name, message: error.message };
  const cause = error instanceof Error ? error.cause : undefined;
  return {
    error: kindOf(error),
    code: codeOf(error) ?? codeOf(cause),
    cause: cause === undefined ? undefined : kindOf(cause),
  };
}

// The constructor's name: drivers' errors often leave `name` as "Error" (DrizzleQueryError) or
// set it to something vague (pg's DatabaseError says "error").
function kindOf(value: unknown): string {
  if (value instanceof Error) return value.constructor.name || value.name;
  return value === null ? "null" : typeof value;
}

function codeOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || !("code" in value)) return undefined;
  const { code } = value;
  return typeof code === "string" || typeof code === "number" ? String(code) : undefined;
}
