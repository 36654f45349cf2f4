/**
 * Turns off zod's compiled fast path in the browser. The Content-Security-Policy (proxy.ts) has
 * no 'unsafe-eval', so zod's probe for `new Function` would be refused and reported as a CSP
 * violation. This writes zod's shared global configuration, the object `z.config()` updates and
 * zod reads whenever it is loaded, so that setting it does not put all of zod (36 KB gzip) on
 * every route the way importing zod here did.
 */
type ZodGlobal = { __zod_globalConfig?: { jitless?: boolean } };

export function makeZodJitless(): void {
  const global = globalThis as ZodGlobal;
  (global.__zod_globalConfig ??= {}).jitless = true;
}
