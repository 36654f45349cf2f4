import "server-only";
import { randomBytes } from "node:crypto";
import { getOrCreateSecret } from "@/lib/db/secrets";
import { env } from "@/lib/env";

const SECRET_KEY = Symbol.for("thinkpane.sessionSecret");
type Holder = { [SECRET_KEY]?: Promise<string> };

/**
 * The key that signs cookies: SESSION_SECRET, or one generated once and kept in the database,
 * so that every instance on the same database agrees on it. Cached on globalThis: the proxy and
 * the route bundles share it (and the one database client) in the server process.
 */
export function sessionSecret(): Promise<string> {
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
