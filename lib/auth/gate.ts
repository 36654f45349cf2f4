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

/** How many rounds of percent-decoding to look through ("%252f" is "/" after two). */
const DECODE_ROUNDS = 4;
const MAX_NEXT_LENGTH = 2048;

/**
 * Every layer that may decode `value` before a browser follows it: one that decodes it
 * again ("%2f%2f" to "//") must still find a path on this site, so the check looks at each.
 */
function decodings(value: string): string[] {
  const seen = [value];
  let current = value;
  for (let round = 0; round < DECODE_ROUNDS; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      // A malformed escape ("%zz"): nothing further to decode; what we have is checked.
      break;
    }
    if (next === current) break;
    seen.push(next);
    current = next;
  }
  return seen;
}

/**
 * True when the path part (before "?" or "#") of a decoding could be read as another origin
 * or as something else than a plain path: a backslash (browsers read it as "/"), an empty
 * segment ("//" is protocol-relative wherever it starts after normalisation), a dot segment
 * (which normalisation collapses, e.g. "/.//evil" to "//evil"), or anything outside printable
 * ASCII (whitespace and controls, which parsers strip; lookalikes such as "／", "∕", "＼").
 */
function suspicious(text: string): boolean {
  const end = text.search(/[?#]/);
  const path = end === -1 ? text : text.slice(0, end);
  if (!/^[\x21-\x7e]*$/.test(path)) return true;
  if (!path.startsWith("/") || path.includes("\\") || path.includes("//")) return true;
  return path.split("/").some((segment) => segment === "." || segment === "..");
}

/**
 * Where to go after signing in: a path on this site, never another origin. Anything that is
 * not plainly a path here, under any number of percent-decodings (absolute and
 * protocol-relative URLs, backslashes, encoded slashes, dot segments, whitespace, control and
 * lookalike characters, other schemes), falls back to the home page, and so does sign-in itself.
 */
export function safeNextPath(value: string | null | undefined): string {
  // Whitespace and control characters anywhere: parsers strip some of them silently.
  if (!value || value.length > MAX_NEXT_LENGTH || !/^[\x21-\x7e]*$/.test(value)) return "/";
  if (decodings(value).some(suspicious)) return "/";
  const base = "http://thinkpane.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return "/";
  }
  if (url.origin !== base || url.pathname === "/sign-in") return "/";
  const result = `${url.pathname}${url.search}${url.hash}`;
  // The parser may have changed the text; what it produced must pass the same checks.
  return decodings(result).some(suspicious) ? "/" : result;
}
