import "server-only";
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
