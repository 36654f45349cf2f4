import { z } from "zod";

/*
 * Runs in the browser before the app hydrates. The Content-Security-Policy (proxy.ts) has no
 * 'unsafe-eval', so zod's probe for `new Function` would be refused and reported as a CSP
 * violation; jitless skips the probe and the compiled fast path that the policy forbids anyway.
 */
z.config({ jitless: true });
