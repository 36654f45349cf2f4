import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { cookies, headers } from "next/headers";
import { env } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";
import { cookieNameFor, isHttps } from "@/lib/security/https";
import { sessionSecret } from "./secret";
import { ownerIdOf, sessionCookieName, type Session, verifySession } from "./session";

/**
 * Who owns what. With ACCESS_CODES, the signed-in user ("user:<name>", from the session
 * cookie); without, an anonymous id per browser in a signed, httpOnly cookie. Conversations,
 * shares and usage belong to that id. Over HTTPS both cookies carry the "__Host-" prefix
 * (lib/security/https.ts), and only the prefixed names are read, except that an owner cookie
 * set under the plain name before (the same browser over HTTP, or an older version) still
 * counts and is moved to the prefixed name: an anonymous owner has no other way back to their
 * conversations.
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

/**
 * Whether the request being served came over HTTPS, for code that has no Request at hand
 * (pages, readOwner). Next.js fills X-Forwarded-Proto from the socket when no proxy set it.
 */
async function servedOverHttps(): Promise<boolean> {
  return isHttps("", await headers());
}

/** The signed-in user, when sign-in is on and the session cookie holds. */
export async function readSession(): Promise<Session | undefined> {
  if (!signInRequired()) return undefined;
  const name = sessionCookieName(await servedOverHttps());
  return sessionFromCookie((await cookies()).get(name)?.value);
}

type CookieJar = Awaited<ReturnType<typeof cookies>>;

/** The anonymous owner in the jar, and whether it was found under the plain name over HTTPS. */
async function anonymousOwner(
  jar: CookieJar,
  https: boolean,
): Promise<{ id: string; legacy: boolean } | undefined> {
  const secret = await sessionSecret();
  const id = verifyOwner(jar.get(cookieNameFor(COOKIE, https))?.value, secret);
  if (id) return { id, legacy: false };
  const legacy = https ? verifyOwner(jar.get(COOKIE)?.value, secret) : undefined;
  return legacy ? { id: legacy, legacy: true } : undefined;
}

/** The current owner id, or undefined when there is none yet (pages only read). */
export async function readOwner(): Promise<string | undefined> {
  if (signInRequired()) {
    const session = await readSession();
    return session ? ownerIdOf(session.user) : undefined;
  }
  return (await anonymousOwner(await cookies(), await servedOverHttps()))?.id;
}

export function isSecure(request: Request): boolean {
  return isHttps(request.url, request.headers);
}

/** The owner id, created and set as a cookie when missing. For route handlers. */
export async function ensureOwner(request: Request): Promise<string> {
  if (signInRequired()) {
    const session = await readSession();
    if (session) return ownerIdOf(session.user);
    // Signed-in mode never makes anonymous owners (the proxy already turned this request away).
    throw new ThinkpaneError("auth:required");
  }
  const jar = await cookies();
  const https = isSecure(request);
  const existing = await anonymousOwner(jar, https);
  if (existing && !existing.legacy) return existing.id;
  const id = existing?.id ?? randomBytes(16).toString("base64url");
  jar.set(cookieNameFor(COOKIE, https), signOwner(id, await sessionSecret()), {
    httpOnly: true,
    sameSite: "lax",
    secure: https,
    path: "/",
    maxAge: ONE_YEAR_S,
  });
  // Moved to the prefixed name: the plain one could be overwritten by a sibling subdomain.
  if (existing?.legacy) jar.delete(COOKIE);
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
