import { vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { resetLimitsForTests } from "@/lib/limits";
import { resetRegistryForTests } from "@/lib/upstream/registry";

/** Every variable the env module reads, to clear so that the machine's own environment cannot leak in. */
export const ENV_VARS = [
  "AIMLAPI_API_KEY",
  "AIMLAPI_BASE_URL",
  "AIMLAPI_REASONING_FIELD",
  "THINKPANE_PROVIDERS",
  "THINKPANE_DEFAULT_MODEL",
  "UPSTREAM_CONNECT_TIMEOUT_MS",
  "UPSTREAM_IDLE_TIMEOUT_MS",
  "UPSTREAM_MAX_RETRIES",
  "MAX_REQUEST_BYTES",
  "MAX_FOLLOWERS_PER_USER",
  "DATABASE_URL",
  "DATA_DIR",
  "REDIS_URL",
  "SESSION_SECRET",
  "ACCESS_CODES",
  "SHARES_REQUIRE_SIGN_IN",
  "SESSION_MAX_AGE_DAYS",
  "RATE_LIMIT_REQUESTS_PER_MINUTE",
  "RATE_LIMIT_TOKENS_PER_DAY",
  "MAX_CONCURRENT_STREAMS_PER_USER",
  "MAX_CONCURRENT_STREAMS",
  "BUDGET_TOKENS_PER_DAY",
  "BUDGET_USD_PER_DAY",
  "TRUST_PROXY_HOPS",
  "HOSTNAME",
  "HSTS_MAX_AGE_SECONDS",
  "MAX_CONVERSATIONS_PER_OWNER",
  "MAX_MESSAGES_PER_OWNER",
  "MAX_STORED_BYTES_PER_OWNER",
  "RATE_LIMIT_COPIES_PER_MINUTE",
] as const;

/** Sets (or, with undefined, removes) variables for this test and drops the parsed caches. */
export function configureEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
  resetEnvForTests();
  resetRegistryForTests();
  resetLimitsForTests();
}

/** Restores the environment after a test that called configureEnv. */
export function restoreEnv(): void {
  vi.unstubAllEnvs();
  resetEnvForTests();
  resetRegistryForTests();
  resetLimitsForTests();
}
