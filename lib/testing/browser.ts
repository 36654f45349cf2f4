import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Route handlers read and set the owner cookie through next/headers' cookies(), which only works
 * inside a request that Next.js itself serves. Route tests replace that module with this one,
 * `vi.mock("next/headers", () => import("@/lib/testing/browser"))` (`cookies` is the one export
 * the app uses), and call each handler as a request from a simulated browser: cookies() reads
 * that browser's jar, and what a handler sets lands in it, as a browser applies Set-Cookie.
 * Two browsers are two owners. A browser made with `{ https: true }` sends its requests as over
 * HTTPS (X-Forwarded-Proto, which Next.js always fills), and like a real browser it refuses a
 * "__Host-" cookie set without Secure and Path=/.
 */

export type CookieOptions = {
  httpOnly?: boolean;
  sameSite?: "lax" | "strict" | "none" | boolean;
  secure?: boolean;
  path?: string;
  maxAge?: number;
};

type StoredCookie = { value: string; options: CookieOptions };

const current = new AsyncLocalStorage<TestBrowser>();

let browsers = 0;

export class TestBrowser {
  private readonly jar = new Map<string, StoredCookie>();
  /**
   * The address this browser connects from, as the server stamps it on requests (PEER_HEADER):
   * one of its own, since in anonymous mode budgets count per address too.
   */
  readonly address = ((n) => `198.18.${(n >> 8) & 255}.${n & 255}`)(++browsers);

  readonly https: boolean;

  constructor({ https = false }: { https?: boolean } = {}) {
    this.https = https;
  }

  /** Calls a route handler as a request sent by this browser. */
  run<T>(handler: () => Promise<T>): Promise<T> {
    return current.run(this, handler);
  }

  cookie(name: string): StoredCookie | undefined {
    return this.jar.get(name);
  }

  setCookie(name: string, value: string, options: CookieOptions = {}): void {
    this.jar.set(name, { value, options });
  }

  deleteCookie(name: string): void {
    this.jar.delete(name);
  }
}

/** The part of next/headers' cookies() that the app uses, backed by the calling browser's jar. */
export async function cookies() {
  const browser = current.getStore();
  if (!browser) throw new Error("cookies() was called outside TestBrowser.run()");
  return {
    get(name: string) {
      const cookie = browser.cookie(name);
      return cookie ? { name, value: cookie.value } : undefined;
    },
    set(name: string, value: string, options: CookieOptions = {}) {
      if (name.startsWith("__Host-") && (!options.secure || options.path !== "/")) return;
      if (options.maxAge === 0) browser.deleteCookie(name);
      else browser.setCookie(name, value, options);
    },
    delete(name: string) {
      browser.deleteCookie(name);
    },
  };
}

/** The part of next/headers' headers() that the app uses: the protocol the browser used. */
export async function headers() {
  const browser = current.getStore();
  if (!browser) throw new Error("headers() was called outside TestBrowser.run()");
  return new Headers({ "x-forwarded-proto": browser.https ? "https" : "http" });
}
