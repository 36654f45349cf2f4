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

/**
 * Values of `next` that must never lead anywhere but this site. Each comes back as "/"
 * (hostile values are not "repaired" into some other path).
 */
const HOSTILE_NEXT = [
  "https://evil.example/",
  "http://evil.example",
  "HTTPS://evil.example",
  "//evil.example/path",
  "///evil.example",
  "////evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/\\/evil.example",
  "/.//evil.example",
  "/./\\evil.example",
  "/a/..//evil.example",
  "/a/../\\evil.example",
  "/..//evil.example",
  "/%2e//evil.example",
  "/%2E%2E//evil.example",
  "/%2f%2fevil.example",
  "/%2F%2Fevil.example",
  "%2f%2fevil.example",
  "/%5cevil.example",
  "/%5C%5Cevil.example",
  "/%252f%252fevil.example",
  "/%25252f%25252fevil.example",
  "/%255cevil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/%09/evil.example",
  "/%0a/evil.example",
  "/%00/evil.example",
  " //evil.example",
  "/ /evil.example",
  "\t//evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "/javascript:alert(1)//%0a",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "evil.example",
  "@evil.example",
  "/@evil.example/../..//evil.example",
  "/\u3002/evil.example",
  "/\uff0fevil.example",
  "/\u2215evil.example",
  "/\u2044evil.example",
  "/\uff3cevil.example",
  "/\u2216evil.example",
  "/%EF%BC%8Fevil.example",
  "/%E2%88%95evil.example",
  "/\u00a0/evil.example",
  "/\u200b/evil.example",
  "/\u2028/evil.example",
  "/%zz//evil.example",
  "/sign-in",
  "/sign-in?next=//evil.example",
  `/${"a".repeat(3000)}`,
  "https:/evil.example",
  "https:\\\\evil.example",
  "/.\\.\\evil.example",
];

const BENIGN_NEXT: [string, string][] = [
  ["/", "/"],
  ["/c/abc?x=1#y", "/c/abc?x=1#y"],
  ["/c/V1StGXR8_Z5jdHi6B-myT", "/c/V1StGXR8_Z5jdHi6B-myT"],
  ["/usage", "/usage"],
  ["/usage?from=2026-01-01&to=2026-01-31", "/usage?from=2026-01-01&to=2026-01-31"],
  ["/s/token123", "/s/token123"],
  ["/c/abc?q=a%20b", "/c/abc?q=a%20b"],
  ["/c/abc?redirect=https://elsewhere.example", "/c/abc?redirect=https://elsewhere.example"],
];

describe("safeNextPath", () => {
  it("has a corpus of hostile values", () => {
    expect(HOSTILE_NEXT.length).toBeGreaterThanOrEqual(40);
  });

  it.each(HOSTILE_NEXT.map((value) => [JSON.stringify(value).slice(0, 60), value]))(
    "keeps %s on this site",
    (_label, value) => {
      const result = safeNextPath(value);
      const base = "https://app.example";
      const url = new URL(result, base);
      expect(url.origin).toBe(base);
      expect(result.startsWith("/")).toBe(true);
      expect(result.startsWith("//") || result.startsWith("/\\")).toBe(false);
      expect(result).toBe("/");
    },
  );

  it.each(BENIGN_NEXT)("lets %j through as %j", (given, expected) => {
    expect(safeNextPath(given)).toBe(expected);
    expect(new URL(expected, "https://app.example").origin).toBe("https://app.example");
  });

  it.each([[undefined], [null], [""]])("sends %j home", (given) => {
    expect(safeNextPath(given)).toBe("/");
  });
});
