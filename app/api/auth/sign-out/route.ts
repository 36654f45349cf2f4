import { cookies } from "next/headers";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { withRequest } from "@/lib/request-context";

export const dynamic = "force-dynamic";

/** Ends the session in this browser. Always succeeds; there is nothing to reveal. */
export const POST = withRequest(async (): Promise<Response> => {
  (await cookies()).delete(SESSION_COOKIE);
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
});
