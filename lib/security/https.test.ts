import { describe, expect, it } from "vitest";
import { cookieNameFor, hstsValue, isHttps } from "./https";

describe("isHttps", () => {
  it.each([
    ["https://app.example/", {}, true],
    ["http://app.example/", {}, false],
    ["http://localhost:3000/", { "x-forwarded-proto": "https" }, true],
    ["http://localhost:3000/", { "x-forwarded-proto": "HTTPS" }, true],
    // The client-facing proxy's entry comes first; later hops saw plain HTTP.
    ["http://localhost:3000/", { "x-forwarded-proto": "https, http" }, true],
    ["http://localhost:3000/", { "x-forwarded-proto": "http" }, false],
    ["http://localhost:3000/", { "x-forwarded-proto": "http, https" }, false],
    ["http://localhost:3000/", { "x-forwarded-proto": "" }, false],
    ["http://localhost:3000/", { "x-forwarded-proto": "httpsx" }, false],
  ] as const)("%s with %j → %s", (url, headers, expected) => {
    expect(isHttps(url, new Headers(headers))).toBe(expected);
  });
});

describe("cookieNameFor and hstsValue", () => {
  it("prefix cookie names and send HSTS over HTTPS only", () => {
    expect(cookieNameFor("tp_owner", true)).toBe("__Host-tp_owner");
    expect(cookieNameFor("tp_owner", false)).toBe("tp_owner");
    expect(hstsValue(true, 31_536_000)).toBe("max-age=31536000");
    expect(hstsValue(false, 31_536_000)).toBeUndefined();
    expect(hstsValue(true, 0)).toBeUndefined();
  });
});
