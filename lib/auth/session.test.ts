import { describe, expect, it } from "vitest";
import type { AccessCode } from "@/lib/env";
import { matchAccessCode, ownerIdOf, signSession, verifySession } from "./session";

const SECRET = "test-secret-0123456789-abcdefghij-klmnop";
const codes: AccessCode[] = [
  { user: "alice", code: "alice-code-123" },
  { user: "bob", code: "bob-code-4567" },
];
const DAY = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 10, 25, 12);
const options = { secret: SECRET, codes, maxAgeMs: 30 * DAY, now };

describe("matchAccessCode", () => {
  it("finds the entry whose code matches exactly", () => {
    expect(matchAccessCode("bob-code-4567", codes, SECRET)?.user).toBe("bob");
    expect(matchAccessCode("alice-code-123", codes, SECRET)?.user).toBe("alice");
  });

  it.each(["", "bob-code-456", "bob-code-45678", "BOB-CODE-4567", " bob-code-4567", "alice"])(
    "rejects %j",
    (given) => {
      expect(matchAccessCode(given, codes, SECRET)).toBeUndefined();
    },
  );
});

describe("signSession and verifySession", () => {
  it("round-trip a user", () => {
    const value = signSession(codes[1]!, SECRET, now - DAY);
    expect(verifySession(value, options)).toEqual({ user: "bob", issuedAt: now - DAY });
    expect(ownerIdOf("bob")).toBe("user:bob");
  });

  it("expire after the maximum age", () => {
    const value = signSession(codes[0]!, SECRET, now - 31 * DAY);
    expect(verifySession(value, options)).toBeUndefined();
  });

  it("end when the user's code changes or the user is removed", () => {
    const value = signSession(codes[0]!, SECRET, now);
    expect(verifySession(value, options)).toBeDefined();
    const rotated = [{ user: "alice", code: "a-brand-new-code" }, codes[1]!];
    expect(verifySession(value, { ...options, codes: rotated })).toBeUndefined();
    expect(verifySession(value, { ...options, codes: [codes[1]!] })).toBeUndefined();
  });

  it("reject another secret, a changed body and a changed signature", () => {
    const value = signSession(codes[0]!, SECRET, now);
    expect(verifySession(value, { ...options, secret: `${SECRET}x` })).toBeUndefined();
    const [body, signature] = value.split(".") as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, "base64url").toString()), u: "bob" }),
    ).toString("base64url");
    expect(verifySession(`${forged}.${signature}`, options)).toBeUndefined();
    const flipped = signature.at(-1) === "A" ? "B" : "A";
    expect(verifySession(`${body}.${signature.slice(0, -1)}${flipped}`, options)).toBeUndefined();
  });

  it.each([undefined, "", ".", "abc", "abc.", ".abc", "x".repeat(5000)])(
    "reject the malformed value %j",
    (value) => {
      expect(verifySession(value, options)).toBeUndefined();
    },
  );

  it("reject a session issued in the future", () => {
    expect(verifySession(signSession(codes[0]!, SECRET, now + DAY), options)).toBeUndefined();
  });
});
