/**
 * Whether the browser reached this server over HTTPS, and the cookie names that follow from it.
 *
 * HTTPS is read from the request URL's protocol or from the first X-Forwarded-Proto entry (the
 * one the client-facing proxy wrote; Next.js itself fills the header from the socket when no
 * proxy did). The header is trusted without TRUST_PROXY_HOPS because a wrong answer can only
 * hurt whoever forged it: a client that claims HTTPS over plain HTTP gets a Secure, __Host-
 * cookie its browser refuses to store and an HSTS header browsers ignore over HTTP; a client
 * that claims HTTP over HTTPS only gets the unprefixed cookie names for its own requests.
 */
export function isHttps(url: string, headers: Headers): boolean {
  if (url.startsWith("https:")) return true;
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https";
}

/**
 * A cookie's name over HTTPS: "__Host-" makes browsers accept it only with Secure, Path=/ and
 * no Domain, so a sibling subdomain or a plain-HTTP response cannot plant or overwrite it.
 */
export function cookieNameFor(base: string, https: boolean): string {
  return https ? `__Host-${base}` : base;
}

/** Strict-Transport-Security for a response served over HTTPS; none over HTTP, or when turned off. */
export function hstsValue(https: boolean, maxAgeSeconds: number): string | undefined {
  if (!https || maxAgeSeconds <= 0) return undefined;
  return `max-age=${maxAgeSeconds}`;
}
