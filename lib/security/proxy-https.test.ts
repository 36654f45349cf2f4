import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signSession } from "@/lib/auth/session";
import { configureEnv, ENV_VARS, restoreEnv } from "@/lib/testing/env";
import { proxy } from "@/proxy";

const SECRET = "proxy-test-secret-0123456789-abcdefghij";
const alice = { user: "alice", code: "alice-code-123" };

beforeEach(() => {
  configureEnv({
    ...Object.fromEntries(ENV_VARS.map((name) => [name, undefined])),
    SESSION_SECRET: SECRET,
  });
});

afterEach(() => {
  restoreEnv();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  proxy(new NextRequest(url, { headers }));

describe("proxy over HTTPS", () => {
  it("sends Strict-Transport-Security over HTTPS only", async () => {
    expect((await get("https://app.example/")).headers.get("strict-transport-security")).toBe(
      "max-age=31536000",
    );
    expect(
      (await get("http://localhost/", { "x-forwarded-proto": "https" })).headers.get(
        "strict-transport-security",
      ),
    ).toBe("max-age=31536000");
    expect((await get("http://localhost/")).headers.get("strict-transport-security")).toBeNull();
    configureEnv({ HSTS_MAX_AGE_SECONDS: "0" });
    expect((await get("https://app.example/")).headers.get("strict-transport-security")).toBeNull();
  });

  it("sends HSTS on refusals too, and reads the session under the name in use", async () => {
    configureEnv({ ACCESS_CODES: "alice:alice-code-123" });
    const session = signSession(alice, SECRET);
    const refused = await get("https://app.example/api/models");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("strict-transport-security")).toBe("max-age=31536000");

    const prefixed = await get("https://app.example/api/models", {
      cookie: `__Host-tp_session=${session}`,
    });
    expect(prefixed.status).toBe(200);
    // Over HTTPS the plain name is not read; over HTTP it is the one in use.
    expect(
      (await get("https://app.example/api/models", { cookie: `tp_session=${session}` })).status,
    ).toBe(401);
    expect(
      (await get("http://localhost/api/models", { cookie: `tp_session=${session}` })).status,
    ).toBe(200);
  });
});
