import { randomBytes } from "node:crypto";

/**
 * An id the server mints (messages, conversations): 128 random bits from the operating system's
 * cryptographic generator, URL-safe. The AI SDK's generateId uses Math.random, whose output can
 * be predicted from a few samples; an id that can be guessed can be squatted or probed.
 */
export function newId(): string {
  return randomBytes(16).toString("base64url");
}
