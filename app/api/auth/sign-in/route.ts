import { cookies } from "next/headers";
import { z } from "zod";
import { isSecure } from "@/lib/auth/owner";
import { requestAddress } from "@/lib/auth/request-address";
import { sessionSecret } from "@/lib/auth/secret";
import { matchAccessCode, sessionCookieName, signSession } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";
import { invalidBody, readJsonBody, route } from "@/lib/http";
import { signInThrottle } from "@/lib/limits";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

const signInSchema = z.object({ code: z.string().min(1).max(512) }).strict();

/** Exchanges an access code for a session cookie. */
export const POST = route("auth.sign_in", async (request: Request): Promise<Response> => {
  const e = env();
  if (e.ACCESS_CODES.length === 0)
    throw new ThinkpaneError("not_found", { message: "Sign-in is not enabled on this server." });
  const parsed = signInSchema.safeParse(await readJsonBody(request, 4_096));
  if (!parsed.success) throw invalidBody(parsed.error.issues);

  const client = requestAddress(request);
  // Counted before the code is compared: concurrent guesses are all counted.
  const attempt = await signInThrottle().attempt(client);
  const secret = await sessionSecret();
  const entry = matchAccessCode(parsed.data.code, e.ACCESS_CODES, secret);
  if (!entry) {
    log.warn("auth.sign_in_failed");
    await attempt.failed();
    throw new ThinkpaneError("auth:invalid_code");
  }
  await attempt.succeeded();
  const secure = isSecure(request);
  (await cookies()).set(sessionCookieName(secure), signSession(entry, secret), {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: e.SESSION_MAX_AGE_DAYS * 24 * 60 * 60,
  });
  log.info("auth.signed_in", { user: entry.user });
  return Response.json({ user: entry.user }, { headers: { "cache-control": "no-store" } });
});
