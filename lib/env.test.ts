import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { env, EnvError, readSecret, resetEnvForTests } from "@/lib/env";
import { ANONYMOUS_BUDGET_TOKENS_PER_DAY, limitsConfig } from "@/lib/limits";
import { configureEnv, ENV_VARS, restoreEnv } from "@/lib/testing/env";

const AIMLAPI_KEY = "sk-aimlapi-ENV-test-3d7e";
const GROQ_KEY = "gsk-groq-ENV-test-8b1c";

const VARS = [...ENV_VARS, "THINKPANE_TEST_GROQ_KEY"];

function envError(fn: () => unknown): EnvError {
  let error: unknown;
  try {
    fn();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(EnvError);
  return error as EnvError;
}

beforeEach(() => {
  configureEnv(Object.fromEntries(VARS.map((name) => [name, undefined])));
});

afterEach(() => {
  restoreEnv();
});

describe("env", () => {
  it("has defaults for everything but the key", () => {
    expect(env().AIMLAPI_API_KEY).toBeUndefined();
    expect(env()).toMatchObject({
      AIMLAPI_BASE_URL: "https://api.aimlapi.com/v1",
      THINKPANE_PROVIDERS: [],
      UPSTREAM_CONNECT_TIMEOUT_MS: 60_000,
      UPSTREAM_IDLE_TIMEOUT_MS: 60_000,
      UPSTREAM_MAX_RETRIES: 2,
      MAX_REQUEST_BYTES: 1_000_000,
      MAX_IMPORT_BYTES: 8_000_000,
      MAX_FOLLOWERS_PER_USER: 20,
    });
  });

  it("parses numbers, trims the key and treats a blank key as missing", () => {
    configureEnv({
      AIMLAPI_API_KEY: `  ${AIMLAPI_KEY}\n`,
      UPSTREAM_IDLE_TIMEOUT_MS: "500",
      UPSTREAM_MAX_RETRIES: "0",
    });
    expect(env()).toMatchObject({
      AIMLAPI_API_KEY: AIMLAPI_KEY,
      UPSTREAM_IDLE_TIMEOUT_MS: 500,
      UPSTREAM_MAX_RETRIES: 0,
    });
    configureEnv({ AIMLAPI_API_KEY: "   " });
    expect(env().AIMLAPI_API_KEY).toBeUndefined();
  });

  it("gives anonymous deployments a daily token budget, and signed-in ones none unless set", () => {
    expect(env()).toMatchObject({ TRUST_PROXY_HOPS: 0, BUDGET_USD_PER_DAY: 0 });
    expect(limitsConfig()).toMatchObject({
      budgetTokensPerDay: ANONYMOUS_BUDGET_TOKENS_PER_DAY,
      budgetUsdPerDay: 0,
    });
    configureEnv({ ACCESS_CODES: "alice:long-enough-code" });
    expect(limitsConfig().budgetTokensPerDay).toBe(0);
    configureEnv({ BUDGET_TOKENS_PER_DAY: "750000", BUDGET_USD_PER_DAY: "2.5" });
    expect(limitsConfig()).toMatchObject({ budgetTokensPerDay: 750_000, budgetUsdPerDay: 2.5 });
    // Blank is unset, not 0.
    configureEnv({ ACCESS_CODES: undefined, BUDGET_TOKENS_PER_DAY: " " });
    expect(limitsConfig().budgetTokensPerDay).toBe(ANONYMOUS_BUDGET_TOKENS_PER_DAY);
    configureEnv({ BUDGET_TOKENS_PER_DAY: "0" });
    expect(limitsConfig().budgetTokensPerDay).toBe(0);
  });

  it("names the variable when a budget or the proxy hops are invalid", () => {
    configureEnv({ BUDGET_USD_PER_DAY: "-1", TRUST_PROXY_HOPS: "eleven" });
    const error = envError(() => env());
    expect(error.message).toContain("BUDGET_USD_PER_DAY");
    expect(error.message).toContain("TRUST_PROXY_HOPS");
  });

  it("is parsed once and re-read only after a reset", () => {
    configureEnv({ UPSTREAM_MAX_RETRIES: "1" });
    expect(env().UPSTREAM_MAX_RETRIES).toBe(1);
    vi.stubEnv("UPSTREAM_MAX_RETRIES", "3");
    expect(env().UPSTREAM_MAX_RETRIES).toBe(1);
    resetEnvForTests();
    expect(env().UPSTREAM_MAX_RETRIES).toBe(3);
  });

  it.each([
    ["AIMLAPI_BASE_URL", "not a url"],
    ["AIMLAPI_BASE_URL", "ftp://api.example.com/v1"],
    ["UPSTREAM_IDLE_TIMEOUT_MS", "50"],
    ["UPSTREAM_CONNECT_TIMEOUT_MS", "soon"],
    ["UPSTREAM_MAX_RETRIES", "-1"],
    ["MAX_REQUEST_BYTES", "1.5"],
    ["MAX_FOLLOWERS_PER_USER", "-1"],
  ])("refuses %s=%j with an EnvError naming it", (name, value) => {
    configureEnv({ [name]: value });
    expect(envError(() => env()).message).toContain(name);
  });

  it("reads provider secrets by name, trimmed, blank as missing", () => {
    configureEnv({ THINKPANE_TEST_GROQ_KEY: ` ${GROQ_KEY} ` });
    expect(readSecret("THINKPANE_TEST_GROQ_KEY")).toBe(GROQ_KEY);
    configureEnv({ THINKPANE_TEST_GROQ_KEY: "" });
    expect(readSecret("THINKPANE_TEST_GROQ_KEY")).toBeUndefined();
    expect(readSecret("THINKPANE_TEST_NEVER_SET")).toBeUndefined();
  });
});

describe("edge settings", () => {
  it("sends HSTS for a year by default; 0 turns it off; negative is refused", () => {
    expect(env().HSTS_MAX_AGE_SECONDS).toBe(31_536_000);
    configureEnv({ HSTS_MAX_AGE_SECONDS: "0" });
    expect(env().HSTS_MAX_AGE_SECONDS).toBe(0);
    configureEnv({ HSTS_MAX_AGE_SECONDS: "-1" });
    expect(envError(() => env()).message).toContain("HSTS_MAX_AGE_SECONDS");
  });
});
