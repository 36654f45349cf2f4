import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TestBrowser } from "@/lib/testing/browser";
import { configureEnv, ENV_VARS, restoreEnv } from "@/lib/testing/env";
import { ensureOwner, readOwner, signOwner, verifyOwner } from "./owner";

vi.mock("next/headers", () => import("@/lib/testing/browser"));

const SECRET = "test-secret-0123456789-abcdefghij-klmnop";
const OTHER_SECRET = "other-secret-0123456789-abcdefghij-klmno";

describe("signOwner and verifyOwner", () => {
  it("round-trip an id", () => {
    for (const id of ["GWqmkKwtH5fU52yqTK_wvQ", "a", "with.dots.inside"]) {
      const value = signOwner(id, SECRET);
      expect(value.startsWith(`${id}.`)).toBe(true);
      expect(verifyOwner(value, SECRET)).toBe(id);
    }
  });

  it("sign the same id differently under different secrets", () => {
    expect(signOwner("id", SECRET)).not.toBe(signOwner("id", OTHER_SECRET));
  });

  it("reject a value signed with another secret", () => {
    expect(verifyOwner(signOwner("id", OTHER_SECRET), SECRET)).toBeUndefined();
  });

  it("reject a changed id", () => {
    const signature = signOwner("alice", SECRET).split(".")[1];
    expect(verifyOwner(`bob.${signature}`, SECRET)).toBeUndefined();
    expect(verifyOwner(`alice2.${signature}`, SECRET)).toBeUndefined();
  });

  it("reject a changed signature", () => {
    const value = signOwner("alice", SECRET);
    const last = value.at(-1) === "A" ? "B" : "A";
    expect(verifyOwner(`${value.slice(0, -1)}${last}`, SECRET)).toBeUndefined();
    expect(verifyOwner(value.slice(0, -1), SECRET)).toBeUndefined();
    expect(verifyOwner(`${value}A`, SECRET)).toBeUndefined();
  });

  it.each([
    ["nothing", undefined],
    ["an empty value", ""],
    ["a value without a dot", "alice"],
    ["a value that starts with the dot", `.${signOwner("alice", SECRET).split(".")[1]}`],
    ["a value that ends with the dot", "alice."],
    ["only a dot", "."],
    ["a signature of multibyte characters", `alice.${"é".repeat(43)}`],
    ["a signature of the right length but wrong alphabet", `alice.${"+".repeat(43)}`],
  ])("reject %s", (_name, value) => {
    expect(verifyOwner(value, SECRET)).toBeUndefined();
  });
});

describe("the owner cookie", () => {
  beforeEach(() => {
    configureEnv({
      ...Object.fromEntries(ENV_VARS.map((name) => [name, undefined])),
      SESSION_SECRET: SECRET,
    });
  });

  afterEach(() => {
    restoreEnv();
  });

  const request = (url = "http://localhost/api/chat", headers: Record<string, string> = {}) =>
    new Request(url, { method: "POST", headers });

  it("is created once: signed, httpOnly, SameSite=Lax, for a year", async () => {
    const browser = new TestBrowser();
    expect(await browser.run(() => readOwner())).toBeUndefined();

    const id = await browser.run(() => ensureOwner(request()));
    const cookie = browser.cookie("tp_owner");
    expect(cookie?.value).toBe(signOwner(id, SECRET));
    expect(cookie?.options).toEqual({
      httpOnly: true,
      sameSite: "lax",
      secure: false,
      path: "/",
      maxAge: 365 * 24 * 60 * 60,
    });
    // 128 random bits.
    expect(Buffer.from(id, "base64url")).toHaveLength(16);

    expect(await browser.run(() => readOwner())).toBe(id);
    expect(await browser.run(() => ensureOwner(request()))).toBe(id);
    expect(browser.cookie("tp_owner")?.value).toBe(cookie?.value);
  });

  it("is Secure and named __Host-tp_owner behind HTTPS, directly or through a proxy", async () => {
    for (const [url, headers] of [
      ["https://thinkpane.example/api/chat", {}],
      ["http://localhost/api/chat", { "x-forwarded-proto": "https" }],
    ] as const) {
      const browser = new TestBrowser({ https: true });
      const id = await browser.run(() => ensureOwner(request(url, headers)));
      expect(browser.cookie("tp_owner")).toBeUndefined();
      expect(browser.cookie("__Host-tp_owner")?.options).toMatchObject({ secure: true, path: "/" });
      expect(await browser.run(() => readOwner())).toBe(id);
    }
  });

  it("over HTTP keeps the plain name (a browser refuses __Host- there)", async () => {
    const browser = new TestBrowser();
    const id = await browser.run(() => ensureOwner(request()));
    expect(browser.cookie("__Host-tp_owner")).toBeUndefined();
    expect(await browser.run(() => readOwner())).toBe(id);
  });

  it("moves an owner cookie set under the plain name to __Host- over HTTPS", async () => {
    const https = request("https://thinkpane.example/api/chat");
    const browser = new TestBrowser({ https: true });
    browser.setCookie("tp_owner", signOwner("legacy-owner", SECRET));
    expect(await browser.run(() => readOwner())).toBe("legacy-owner");
    expect(await browser.run(() => ensureOwner(https))).toBe("legacy-owner");
    expect(browser.cookie("__Host-tp_owner")?.value).toBe(signOwner("legacy-owner", SECRET));
    expect(browser.cookie("tp_owner")).toBeUndefined();
    // The prefixed cookie wins over a plain one planted later (e.g. by a sibling subdomain).
    browser.setCookie("tp_owner", signOwner("planted", SECRET));
    expect(await browser.run(() => readOwner())).toBe("legacy-owner");
    expect(await browser.run(() => ensureOwner(https))).toBe("legacy-owner");
  });

  it("gives two browsers two owners", async () => {
    const first = await new TestBrowser().run(() => ensureOwner(request()));
    const second = await new TestBrowser().run(() => ensureOwner(request()));
    expect(first).not.toBe(second);
  });

  it("is not trusted once tampered with: the browser gets a new owner", async () => {
    const browser = new TestBrowser();
    const id = await browser.run(() => ensureOwner(request()));
    const signature = browser.cookie("tp_owner")!.value.split(".")[1];
    browser.setCookie("tp_owner", `someone-else.${signature}`);

    expect(await browser.run(() => readOwner())).toBeUndefined();
    const replaced = await browser.run(() => ensureOwner(request()));
    expect(replaced).not.toBe(id);
    expect(replaced).not.toBe("someone-else");
    expect(await browser.run(() => readOwner())).toBe(replaced);
  });

  it("stops being valid when the session secret changes", async () => {
    const browser = new TestBrowser();
    await browser.run(() => ensureOwner(request()));
    configureEnv({ SESSION_SECRET: OTHER_SECRET });
    expect(await browser.run(() => readOwner())).toBeUndefined();
  });
});
