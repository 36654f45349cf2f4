import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readSession } from "@/lib/auth/owner";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { configureEnv, ENV_VARS, restoreEnv } from "@/lib/testing/env";
import { POST as SIGN_IN } from "./sign-in/route";
import { POST as SIGN_OUT } from "./sign-out/route";

vi.mock("next/headers", () => import("@/lib/testing/browser"));

const SECRET = "auth-test-secret-0123456789-abcdefghij";

beforeEach(() => {
  configureEnv({
    ...Object.fromEntries(ENV_VARS.map((name) => [name, undefined])),
    SESSION_SECRET: SECRET,
    ACCESS_CODES: "alice:alice-code-123",
  });
});

afterEach(() => {
  restoreEnv();
});

function signIn(browser: TestBrowser, base: string, headers: Record<string, string> = {}) {
  return browser.run(() =>
    SIGN_IN(
      new Request(`${base}/api/auth/sign-in`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-forwarded-for": uniqueId("ip"),
          ...headers,
        },
        body: JSON.stringify({ code: "alice-code-123" }),
      }),
    ),
  );
}

const signOut = (browser: TestBrowser, base: string) =>
  browser.run(() => SIGN_OUT(new Request(`${base}/api/auth/sign-out`, { method: "POST" })));

describe("the session cookie", () => {
  it("is __Host-tp_session, Secure, over HTTPS, and only that name is read there", async () => {
    const browser = new TestBrowser({ https: true });
    expect(
      (await signIn(browser, "http://localhost", { "x-forwarded-proto": "https" })).status,
    ).toBe(200);
    const cookie = browser.cookie("__Host-tp_session");
    expect(cookie?.options).toMatchObject({ secure: true, path: "/", httpOnly: true });
    expect(browser.cookie("tp_session")).toBeUndefined();
    expect((await browser.run(() => readSession()))?.user).toBe("alice");

    // A session under the plain name (planted over HTTP or by a sibling subdomain) is not read.
    const planted = new TestBrowser({ https: true });
    planted.setCookie("tp_session", cookie!.value);
    expect(await planted.run(() => readSession())).toBeUndefined();

    expect((await signOut(browser, "https://app.example")).status).toBe(204);
    expect(browser.cookie("__Host-tp_session")).toBeUndefined();
    expect(await browser.run(() => readSession())).toBeUndefined();
  });

  it("is tp_session over HTTP", async () => {
    const browser = new TestBrowser();
    expect((await signIn(browser, "http://localhost")).status).toBe(200);
    expect(browser.cookie("tp_session")?.options.secure).toBe(false);
    expect(browser.cookie("__Host-tp_session")).toBeUndefined();
    expect((await browser.run(() => readSession()))?.user).toBe("alice");
    await signOut(browser, "http://localhost");
    expect(browser.cookie("tp_session")).toBeUndefined();
  });
});
