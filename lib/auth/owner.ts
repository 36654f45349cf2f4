import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";
import { sessionSecret } from "./secret";
import { ownerIdOf, SESSION_COOKIE, type Session, verifySession } from "./session";

/**
 * Who owns what. With ACCESS_CODES, the signed-in user ("user:<name>", from the session
 * cookie); without, an anonymous id per browser in a signed, httpOnly cookie. Conversations,
 * shares and usage belong to that id.
 */

const COOKIE = "tp_owner";
const ONE_YEAR_S = 365 * 24 * 60 * 60;

function signature(id: string, secret: string): string {
  return createHmac("sha256", secret).update(`owner:${id}`).digest("base64url");
}

export function signOwner(id: string, secret: string): string {
  return `${id}.${signature(id, secret)}`;
}

/** The owner id in a cookie value, if its signature holds. */
export function verifyOwner(value: string | undefined, secret: string): string | undefined {
  if (!value) return undefined;
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const id = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(signature(id, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

export function signInRequired(): boolean {
  return env().ACCESS_CODES.length > 0;
}

/** The session a cookie value holds under the current codes, secret and maximum age. */
export async function sessionFromCookie(value: string | undefined): Promise<Session | undefined> {
  const e = env();
  if (e.ACCESS_CODES.length === 0 || !value) return undefined;
  return verifySession(value, {
    secret: await sessionSecret(),
    codes: e.ACCESS_CODES,
    maxAgeMs: e.SESSION_MAX_AGE_DAYS * 24 * 60 * 60 * 1000,
  });
}

/** The signed-in user, when sign-in is on and the session cookie holds. */
export async function readSession(): Promise<Session | undefined> {
  if (!signInRequired()) return undefined;
  return sessionFromCookie((await cookies()).get(SESSION_COOKIE)?.value);
}

/** The current owner id, or undefined when there is none yet (pages only read). */
export async function readOwner(): Promise<string | undefined> {
  if (signInRequired()) {
    const session = await readSession();
    return session ? ownerIdOf(session.user) : undefined;
  }
  const value = (await cookies()).get(COOKIE)?.value;
  if (!value) return undefined;
  return verifyOwner(value, await sessionSecret());
}

export function isSecure(request: Request): boolean {
  return (
    new URL(request.url).protocol === "https:" ||
    request.headers.get("x-forwarded-proto") === "https"
  );
}

/** The owner id, created and set as a cookie when missing. For route handlers. */
export async function ensureOwner(request: Request): Promise<string> {
  const existing = await readOwner();
  if (existing) return existing;
  // Signed-in mode never makes anonymous owners (the proxy already turned this request away).
  if (signInRequired()) throw new ThinkpaneError("auth:required");
  const id = randomBytes(16).toString("base64url");
  (await cookies()).set(COOKIE, signOwner(id, await sessionSecret()), {
    httpOnly: true,
    sameSite: "lax",
    secure: isSecure(request),
    path: "/",
    maxAge: ONE_YEAR_S,
  });
  return id;
}

/**
 * The owner id for routes that touch an existing conversation or share: without one there is
 * nothing of the caller's to find, so the answer is the same 404 as for someone else's.
 */
export async function requireOwner(): Promise<string> {
  const ownerId = await readOwner();
  if (!ownerId) throw new ThinkpaneError(signInRequired() ? "auth:required" : "not_found");
  return ownerId;
}
