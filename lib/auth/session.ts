import { createHmac, timingSafeEqual } from "node:crypto";
import type { AccessCode } from "@/lib/env";
import { cookieNameFor } from "@/lib/security/https";

/**
 * Sign-in with access codes. A session is a signed cookie naming the user, when it was issued,
 * and a fingerprint of the code it was issued for: changing or removing a person's code in
 * ACCESS_CODES ends their sessions, with no session table to keep.
 */

export const SESSION_COOKIE = "tp_session";

/** The session cookie's name: "__Host-tp_session" over HTTPS, "tp_session" over HTTP. */
export function sessionCookieName(https: boolean): string {
  return cookieNameFor(SESSION_COOKIE, https);
}

type SessionPayload = { u: string; f: string; iat: number };

export type Session = { user: string; issuedAt: number };

function hmac(secret: string, data: string): Buffer {
  return createHmac("sha256", secret).update(data).digest();
}

function fingerprint(code: string, secret: string): string {
  return hmac(secret, `code:${code}`).subarray(0, 12).toString("base64url");
}

/**
 * The entry whose code equals `given`, in constant time: every configured code is compared
 * (as HMACs, so lengths never differ), whether or not one matched already.
 */
export function matchAccessCode(
  given: string,
  codes: readonly AccessCode[],
  secret: string,
): AccessCode | undefined {
  const probe = hmac(secret, `attempt:${given}`);
  let found: AccessCode | undefined;
  for (const entry of codes) {
    const equal = timingSafeEqual(probe, hmac(secret, `attempt:${entry.code}`));
    if (equal && !found) found = entry;
  }
  return found;
}

export function signSession(
  entry: AccessCode,
  secret: string,
  issuedAt: number = Date.now(),
): string {
  const payload: SessionPayload = {
    u: entry.user,
    f: fingerprint(entry.code, secret),
    iat: Math.floor(issuedAt / 1000),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${hmac(secret, `session:${body}`).toString("base64url")}`;
}

/**
 * The session in a cookie value, if its signature holds, it has not expired, and its user's
 * code is still the one it was issued for.
 */
export function verifySession(
  value: string | undefined,
  {
    secret,
    codes,
    maxAgeMs,
    now = Date.now(),
  }: {
    secret: string;
    codes: readonly AccessCode[];
    maxAgeMs: number;
    now?: number;
  },
): Session | undefined {
  if (!value || value.length > 2048) return undefined;
  const dot = value.indexOf(".");
  if (dot <= 0) return undefined;
  const body = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(hmac(secret, `session:${body}`).toString("base64url"));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;

  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (
    typeof payload !== "object" ||
    payload === null ||
    typeof (payload as SessionPayload).u !== "string" ||
    typeof (payload as SessionPayload).f !== "string" ||
    typeof (payload as SessionPayload).iat !== "number"
  )
    return undefined;
  const { u, f, iat } = payload as SessionPayload;
  const issuedAt = iat * 1000;
  if (issuedAt > now + 60_000 || now - issuedAt > maxAgeMs) return undefined;
  const entry = codes.find((c) => c.user === u);
  if (!entry || fingerprint(entry.code, secret) !== f) return undefined;
  return { user: u, issuedAt };
}

/** Conversations and usage of a signed-in user belong to this owner id. */
export function ownerIdOf(user: string): string {
  return `user:${user}`;
}
