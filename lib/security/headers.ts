/**
 * Headers that are the same on every response, applied through next.config.ts headers() so that
 * a later, more specific rule (the shared pages' Referrer-Policy: no-referrer) can override them.
 * The Content-Security-Policy needs a per-request nonce, so the proxy sets it (see csp.ts).
 */
export const staticSecurityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // For browsers that predate CSP frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
];
