/**
 * Which requests need a signed-in session when ACCESS_CODES is set. Everything does, except
 * the sign-in page and its API, the health check, the few static files a browser fetches on
 * its own, and shared links (unless SHARES_REQUIRE_SIGN_IN). Build assets (/_next/static) never
 * reach the proxy at all.
 */

export type GateDecision = "allow" | "redirect-to-sign-in" | "unauthorized";

const PUBLIC_PATHS = new Set([
  "/sign-in",
  "/api/auth/sign-in",
  "/api/auth/sign-out",
  "/api/health",
  "/robots.txt",
  "/icon.svg",
  "/favicon.ico",
  // The shared page's script and stylesheet (app/s/[token]/route.ts): public files, no data.
  "/snapshot.js",
  "/snapshot.css",
]);

export function isPublicPath(pathname: string, { sharesPublic }: { sharesPublic: boolean }) {
  if (PUBLIC_PATHS.has(pathname)) return true;
  // The shared page only; forking a share ("Continue in playground") makes a conversation and
  // needs a user.
  // Its raw exchanges too, which the link serves only when its owner included them.
  return sharesPublic && /^\/s\/[^/]+(\/exchange\/[^/]+)?\/?$/.test(pathname);
}

export function gateDecision(
  pathname: string,
  { signedIn, sharesPublic }: { signedIn: boolean; sharesPublic: boolean },
): GateDecision {
  if (signedIn || isPublicPath(pathname, { sharesPublic })) return "allow";
  return pathname === "/api" || pathname.startsWith("/api/")
    ? "unauthorized"
    : "redirect-to-sign-in";
}

/**
 * Where to go after signing in: a path on this site, never another origin ("//evil.example",
 * "/\\evil.example" and absolute URLs fall back to the home page).
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\"))
    return "/";
  try {
    const url = new URL(value, "http://thinkpane.invalid");
    if (url.origin !== "http://thinkpane.invalid") return "/";
    if (url.pathname === "/sign-in") return "/";
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return "/";
  }
}
