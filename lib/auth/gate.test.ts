import { describe, expect, it } from "vitest";
import { gateDecision, safeNextPath } from "./gate";

const out = { signedIn: false, sharesPublic: true };

describe("gateDecision", () => {
  it.each(["/", "/c/abc", "/usage", "/anything"])("sends %s to sign-in", (path) => {
    expect(gateDecision(path, out)).toBe("redirect-to-sign-in");
  });

  it.each([
    "/api/chat",
    "/api/chat/x/stream",
    "/api/conversations",
    "/api/models",
    "/api/shares/t/fork",
    "/api/usage",
    "/api",
  ])("answers 401 for %s", (path) => {
    expect(gateDecision(path, out)).toBe("unauthorized");
  });

  it.each([
    "/sign-in",
    "/api/auth/sign-in",
    "/api/auth/sign-out",
    "/api/health",
    "/robots.txt",
    "/snapshot.js",
    "/snapshot.css",
  ])("lets %s through", (path) => {
    expect(gateDecision(path, out)).toBe("allow");
  });

  it("keeps shared links public unless shares require sign-in", () => {
    expect(gateDecision("/s/token123", out)).toBe("allow");
    expect(gateDecision("/s/token123/extra", out)).toBe("redirect-to-sign-in");
    // A shared turn's raw exchange is as public as its page (the route checks it was included).
    expect(gateDecision("/s/token123/exchange/m1", out)).toBe("allow");
    expect(gateDecision("/s/token123/exchange/m1/more", out)).toBe("redirect-to-sign-in");
    expect(gateDecision("/s/token123", { ...out, sharesPublic: false })).toBe(
      "redirect-to-sign-in",
    );
  });

  it("lets everything through with a session", () => {
    expect(gateDecision("/api/chat", { ...out, signedIn: true })).toBe("allow");
  });
});

describe("safeNextPath", () => {
  it.each([
    ["/c/abc?x=1#y", "/c/abc?x=1#y"],
    ["/", "/"],
    [undefined, "/"],
    ["", "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/path", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/sign-in", "/"],
  ])("%j → %j", (given, expected) => {
    expect(safeNextPath(given)).toBe(expected);
  });
});
