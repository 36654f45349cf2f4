import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { getOrCreateSecret } from "@/lib/db/secrets";
import { env } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";

/**
 * Identity before accounts exist: each browser gets an anonymous owner id in a signed,
 * httpOnly cookie. Conversations and shares belong to that id. The signing secret is
 * SESSION_SECRET, or one generated once and kept in the database, so that every instance on the
 * same database agrees on it.
 */

const COOKIE = "tp_owner";
const ONE_YEAR_S = 365 * 24 * 60 * 60;
const SECRET_KEY = Symbol.for("thinkpane.sessionSecret");
type Holder = { [SECRET_KEY]?: Promise<string> };

function sessionSecret(): Promise<string> {
  const holder = globalThis as Holder;
  const configured = env().SESSION_SECRET;
  if (configured) return Promise.resolve(configured);
  const pending =
    holder[SECRET_KEY] ??
    getOrCreateSecret({
      name: "session",
      create: () => randomBytes(32).toString("base64url"),
    }).catch((error: unknown) => {
      // Not cached: the next request tries the database again.
      holder[SECRET_KEY] = undefined;
      throw error;
    });
  holder[SECRET_KEY] = pending;
  return pending;
}

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

/** The current browser's owner id, or undefined when it has none yet (pages only read). */
export async function readOwner(): Promise<string | undefined> {
  const value = (await cookies()).get(COOKIE)?.value;
  if (!value) return undefined;
  return verifyOwner(value, await sessionSecret());
}

function isSecure(request: Request): boolean {
  return (
    new URL(request.url).protocol === "https:" ||
    request.headers.get("x-forwarded-proto") === "https"
  );
}

/** The owner id, created and set as a cookie when missing. For route handlers. */
export async function ensureOwner(request: Request): Promise<string> {
  const existing = await readOwner();
  if (existing) return existing;
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
  if (!ownerId) throw new ThinkpaneError("not_found");
  return ownerId;
}
