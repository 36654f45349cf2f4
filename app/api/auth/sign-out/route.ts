import { cookies } from "next/headers";
import { isSecure } from "@/lib/auth/owner";
import { SESSION_COOKIE, sessionCookieName } from "@/lib/auth/session";
import { withRequest } from "@/lib/request-context";

export const dynamic = "force-dynamic";

/** Ends the session in this browser. Always succeeds; there is nothing to reveal. */
export const POST = withRequest(async (request: Request): Promise<Response> => {
  const jar = await cookies();
  jar.delete(SESSION_COOKIE);
  // A browser only accepts a "__Host-" cookie (even an expired one) with Secure and Path=/.
  if (isSecure(request))
    jar.set(sessionCookieName(true), "", {
      httpOnly: true,
      sameSite: "lax",
      secure: true,
      path: "/",
      maxAge: 0,
    });
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
});
