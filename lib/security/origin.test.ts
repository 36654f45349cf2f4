import { describe, expect, it } from "vitest";
import { ThinkpaneError } from "@/lib/errors";
import {
  FORBIDDEN_ORIGIN_CODE,
  forbiddenOriginResponse,
  isCrossOriginWrite,
  isSameOrigin,
} from "@/lib/security/origin";

const request = (method: string, headers: Record<string, string>) => ({
  method,
  headers: new Headers(headers),
});

describe("isCrossOriginWrite", () => {
  it.each(["POST", "PUT", "PATCH", "DELETE", "post"])(
    "refuses %s from another origin",
    (method) => {
      expect(
        isCrossOriginWrite(request(method, { host: "app.test", origin: "http://evil.example" })),
      ).toBe(true);
    },
  );

  it.each(["GET", "HEAD", "OPTIONS"])("lets %s through from anywhere", (method) => {
    expect(
      isCrossOriginWrite(request(method, { host: "app.test", origin: "http://evil.example" })),
    ).toBe(false);
  });

  it("allows the app's own pages", () => {
    expect(
      isCrossOriginWrite(
        request("POST", {
          host: "127.0.0.1:3210",
          origin: "http://127.0.0.1:3210",
          "sec-fetch-site": "same-origin",
        }),
      ),
    ).toBe(false);
  });

  it("allows requests without Origin or Sec-Fetch-Site (curl, server to server)", () => {
    expect(isCrossOriginWrite(request("DELETE", { host: "app.test" }))).toBe(false);
    expect(
      isCrossOriginWrite(request("POST", { host: "app.test", "sec-fetch-site": "none" })),
    ).toBe(false);
    expect(
      isCrossOriginWrite(request("POST", { host: "app.test", "sec-fetch-site": "same-origin" })),
    ).toBe(false);
  });

  it("falls back to Sec-Fetch-Site when Origin is missing", () => {
    for (const site of ["cross-site", "same-site"]) {
      expect(
        isCrossOriginWrite(request("POST", { host: "app.test", "sec-fetch-site": site })),
      ).toBe(true);
    }
  });

  it("lets Origin decide when both are present", () => {
    expect(
      isCrossOriginWrite(
        request("POST", {
          host: "app.test",
          origin: "http://evil.example",
          "sec-fetch-site": "same-origin",
        }),
      ),
    ).toBe(true);
  });
});

describe("isSameOrigin", () => {
  it.each([
    ["http://app.test", { host: "app.test" }],
    ["https://app.test", { host: "app.test" }],
    ["HTTPS://APP.test", { host: "App.Test" }],
    ["https://app.test", { host: "app.test:443" }],
    ["http://app.test", { host: "app.test:80" }],
    ["http://localhost:3000", { host: "localhost:3000" }],
    ["http://[::1]:3000", { host: "[::1]:3000" }],
    // Behind a load balancer that rewrites Host.
    ["https://chat.example.com", { host: "app1:3000", "x-forwarded-host": "chat.example.com" }],
    [
      "https://chat.example.com",
      { host: "app1:3000", "x-forwarded-host": "chat.example.com, lb.internal" },
    ],
  ])("%s is the same origin as %j", (origin, headers) => {
    expect(isSameOrigin(origin, new Headers(headers))).toBe(true);
  });

  it.each([
    ["http://evil.example", { host: "app.test" }],
    ["http://app.test.evil.example", { host: "app.test" }],
    ["http://evilapp.test", { host: "app.test" }],
    ["http://app.test:3001", { host: "app.test:3000" }],
    ["http://localhost:3000", { host: "127.0.0.1:3000" }],
    ["null", { host: "app.test" }],
    ["", { host: "app.test" }],
    ["not a url", { host: "app.test" }],
    ["file://app.test", { host: "app.test" }],
    ["chrome-extension://app.test", { host: "app.test" }],
    ["http://app.test", {}],
    ["http://evil.example", { host: "app.test", "x-forwarded-host": "lb.internal, evil.example" }],
  ])("%s is another origin than %j", (origin, headers) => {
    expect(isSameOrigin(origin, new Headers(headers as Record<string, string>))).toBe(false);
  });
});

describe("forbiddenOriginResponse", () => {
  it("is a coded 403 in the app's error shape", async () => {
    const response = forbiddenOriginResponse();
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(FORBIDDEN_ORIGIN_CODE);
    expect(body.error.code).toBe("forbidden:origin");
    expect(body.error.message).toEqual(expect.any(String));
  });

  it("is rebuilt on the client as the same coded error, not as an unexpected one", async () => {
    const error = ThinkpaneError.fromText(await forbiddenOriginResponse().text());
    expect(error.code).toBe("forbidden:origin");
    expect(error.status).toBe(403);
    expect(error.message).toBe("This request came from another site and was refused.");
  });
});
