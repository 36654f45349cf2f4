/**
 * The Content-Security-Policy for every response, built per request around a fresh nonce.
 * Next.js reads the nonce from the CSP request header and puts it on its own scripts; the root
 * layout reads it from NONCE_HEADER for the inline theme script.
 */

/** The request header through which the proxy hands the nonce to the layout. */
export const NONCE_HEADER = "x-nonce";

/** 128 random bits, base64: unguessable, and new on every request. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The policy for a page. With a nonce, for the app's pages; without one, for shared pages, which
 * are built once and served as the same bytes to every viewer: their only script is the
 * same-origin /snapshot.js, so 'self' alone allows it, and nothing inline ever runs.
 */
export function contentSecurityPolicy({ nonce, dev = false }: { nonce?: string; dev?: boolean }) {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // 'strict-dynamic' lets the nonced Next.js runtime load its chunks; 'self' is the fallback for
    // browsers without it. Development needs eval for React's server error stacks.
    "script-src": [
      "'self'",
      ...(nonce ? [`'nonce-${nonce}'`, "'strict-dynamic'"] : []),
      ...(dev ? ["'unsafe-eval'"] : []),
    ],
    // Tailwind, Streamdown and KaTeX set inline styles, so 'unsafe-inline' stays for styles (and
    // must not be joined by a nonce, which would switch it off). Styles cannot run script, and
    // img-src/font-src below keep them from loading anything off-site.
    "style-src": ["'self'", "'unsafe-inline'"],
    // No external images: model output must not be able to ping a tracker.
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}
