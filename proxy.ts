import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, createNonce, NONCE_HEADER } from "@/lib/security/csp";
import { forbiddenOriginResponse, isCrossOriginWrite } from "@/lib/security/origin";

/**
 * Runs before every route: refuses state-changing requests from other sites, and gives each
 * response a Content-Security-Policy with a fresh nonce. Next.js finds the nonce in the CSP
 * request header and applies it to its own scripts; the root layout reads NONCE_HEADER.
 * Headers that never change are set in next.config.ts.
 */
export function proxy(request: NextRequest) {
  if (isCrossOriginWrite(request)) return forbiddenOriginResponse();

  const nonce = createNonce();
  const policy = contentSecurityPolicy({
    nonce,
    // eslint-disable-next-line no-restricted-syntax -- a build-time constant, not configuration
    dev: process.env.NODE_ENV === "development",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(NONCE_HEADER, nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Build assets are static files that need neither check.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
