import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { exposureWarning, isLoopbackHost } from "./exposure";

describe("exposureWarning", () => {
  it("warns when open beyond this machine without sign-in", () => {
    for (const hostname of [undefined, "0.0.0.0", "::", "192.168.1.20", "my-host"])
      expect(exposureWarning({ hostname, signIn: false })).toMatch(
        /without ACCESS_CODES: anyone who can reach this server can spend its API key/,
      );
    expect(exposureWarning({ hostname: undefined, signIn: false })).toContain("every interface");
  });

  it("is quiet on loopback or with sign-in", () => {
    for (const hostname of ["127.0.0.1", "localhost", "::1", "127.0.1.1"]) {
      expect(isLoopbackHost(hostname)).toBe(true);
      expect(exposureWarning({ hostname, signIn: false })).toBeUndefined();
    }
    expect(exposureWarning({ hostname: "0.0.0.0", signIn: true })).toBeUndefined();
  });
});

describe("compose.yaml", () => {
  it("publishes every port on loopback only", async () => {
    const compose = await readFile("compose.yaml", "utf8");
    const published = [...compose.matchAll(/^\s*ports:\s*\[(.*)\]/gm)].flatMap((m) =>
      m[1]!.split(",").map((p) => p.trim().replace(/^"|"$/g, "")),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const port of published) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });
});
