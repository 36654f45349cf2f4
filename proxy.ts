import { randomUUID } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { gateDecision, isPublicPath, safeNextPath } from "@/lib/auth/gate";
import { sessionFromCookie } from "@/lib/auth/owner";
import { sessionCookieName } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";
import { REQUEST_ID_HEADER } from "@/lib/request-context";
import { contentSecurityPolicy, createNonce, NONCE_HEADER } from "@/lib/security/csp";
import { hstsValue, isHttps } from "@/lib/security/https";
import { forbiddenOriginResponse, isCrossOriginWrite } from "@/lib/security/origin";

/**
 * Runs before every route: refuses state-changing requests from other sites, turns away
 * requests without a session when sign-in is on, gives each request an id, and gives each
 * response a Content-Security-Policy with a fresh nonce. Next.js finds the nonce in the CSP
 * request header and applies it to its own scripts; the root layout reads NONCE_HEADER.
 * Over HTTPS, responses also carry Strict-Transport-Security (lib/security/https.ts says how
 * HTTPS is recognised). Headers that never change are set in next.config.ts.
 */
export async function proxy(request: NextRequest) {
  const requestId = randomUUID();
  const hsts = hstsValue(isHttps(request.url, request.headers), env().HSTS_MAX_AGE_SECONDS);
  const withId = (response: Response) => {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    if (hsts) response.headers.set("strict-transport-security", hsts);
    return response;
  };
  if (isCrossOriginWrite(request)) return withId(forbiddenOriginResponse());

  const denied = await signInCheck(request);
  if (denied) return withId(denied);

  const nonce = createNonce();
  const policy = contentSecurityPolicy({
    // A shared page is the same bytes for every view (app/s/[token]/route.ts): no nonce.
    nonce: SHARED_PAGE.test(request.nextUrl.pathname) ? undefined : nonce,
    // eslint-disable-next-line no-restricted-syntax -- a build-time constant, not configuration
    dev: process.env.NODE_ENV === "development",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(NONCE_HEADER, nonce);
  requestHeaders.set("content-security-policy", policy);
  // Replaces any id the browser sent: ids in the logs are the server's own.
  requestHeaders.set(REQUEST_ID_HEADER, requestId);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return withId(response);
}

const SHARED_PAGE = /^\/s\/[^/]+\/?$/;

/** With ACCESS_CODES set: a redirect to sign-in, a 401, or nothing when the request may pass. */
async function signInCheck(request: NextRequest): Promise<Response | undefined> {
  const e = env();
  if (e.ACCESS_CODES.length === 0) return undefined;
  const sharesPublic = !e.SHARES_REQUIRE_SIGN_IN;
  // Public paths never wait on the session (its secret may live in a database that is down,
  // and the health check must still answer).
  if (isPublicPath(request.nextUrl.pathname, { sharesPublic })) return undefined;
  const cookie = sessionCookieName(isHttps(request.url, request.headers));
  const session = await sessionFromCookie(request.cookies.get(cookie)?.value);
  const decision = gateDecision(request.nextUrl.pathname, {
    signedIn: session !== undefined,
    sharesPublic,
  });
  if (decision === "allow") return undefined;
  if (decision === "unauthorized") return new ThinkpaneError("auth:required").toResponse();
  const target = request.nextUrl.clone();
  target.pathname = "/sign-in";
  target.search = "";
  const next = safeNextPath(`${request.nextUrl.pathname}${request.nextUrl.search}`);
  if (next !== "/") target.searchParams.set("next", next);
  return NextResponse.redirect(target, 303);
}

export const config = {
  // Build assets are static files that need none of these checks.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
