import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./e2e/support/chromium";

/**
 * End-to-end tests in Debian's Chromium (Playwright cannot download browsers here) against a
 * production build of the app, which talks to the fake upstream in e2e/fake-upstream through its
 * ordinary base-URL setting. `npm test` builds the app first; `npm run test:e2e` expects a build.
 */
const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3210);
const FAKE_PORT = Number(process.env.FAKE_UPSTREAM_PORT ?? 4010);
/** The shared app server's embedded database, new for every run; one per port, so runs on other ports never share it. */
const DATA_DIR = path.join(tmpdir(), `thinkpane-e2e-shared-${APP_PORT}`);

const HOSTILE_SPEC = "**/hostile.spec.ts";
const LOAD_SPEC = "**/load.spec.ts";

/** A distinctive key: tests assert it reaches the upstream and never the browser. */
export const E2E_API_KEY = "tp-e2e-secret-key-7f3a9c2b";

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], channel: undefined },
      testIgnore: [HOSTILE_SPEC, LOAD_SPEC],
    },
    {
      // The hostile-output corpus keeps the browser and the renderer busy for seconds at a time
      // and starves tests running beside it, so it runs on its own once the others are done.
      // Alone: `npx playwright test --project=hostile --no-deps`.
      name: "hostile",
      use: { ...devices["Desktop Chrome"], channel: undefined },
      testMatch: HOSTILE_SPEC,
      fullyParallel: false,
      dependencies: ["chromium"],
    },
    {
      // Hundreds of concurrent turns and app servers of its own: last, alone, so it cannot starve
      // other specs. Alone: `npx playwright test --project=load --no-deps`.
      name: "load",
      testMatch: LOAD_SPEC,
      fullyParallel: false,
      dependencies: ["hostile"],
    },
  ],
  webServer: [
    {
      command: "node --import ./scripts/register-ts.mjs e2e/fake-upstream/main.ts",
      url: `http://127.0.0.1:${FAKE_PORT}/v1/models`,
      env: { FAKE_UPSTREAM_PORT: String(FAKE_PORT) },
      reuseExistingServer: false,
      timeout: 20_000,
    },
    {
      command: `rm -rf ${DATA_DIR} && node scripts/start.mjs`,
      // Health opens the database, so the tests start once PGlite is up and migrated.
      url: `http://127.0.0.1:${APP_PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        NEXT_TELEMETRY_DISABLED: "1",
        HOSTNAME: "127.0.0.1",
        PORT: String(APP_PORT),
        DATA_DIR,
        DATABASE_URL: "",
        REDIS_URL: "",
        AIMLAPI_API_KEY: E2E_API_KEY,
        AIMLAPI_BASE_URL: `http://127.0.0.1:${FAKE_PORT}/v1`,
        // A second provider whose key variable is deliberately unset.
        THINKPANE_PROVIDERS: JSON.stringify([
          {
            id: "keyless",
            label: "Keyless Provider",
            baseURL: `http://127.0.0.1:${FAKE_PORT}/v1`,
            apiKeyEnv: "KEYLESS_PROVIDER_API_KEY",
            models: [{ id: "openai/gpt-oss-20b", label: "gpt-oss-20b (no key)" }],
          },
          // Servers that take reasoning back under another name, or not at all (tools.spec).
          {
            id: "llamacpp",
            label: "llama.cpp server",
            baseURL: `http://127.0.0.1:${FAKE_PORT}/v1`,
            reasoningField: "reasoning_content",
            models: [{ id: "gpt-oss-120b", label: "gpt-oss-120b (llama.cpp)" }],
          },
          {
            id: "noreasoning",
            label: "No reasoning back",
            baseURL: `http://127.0.0.1:${FAKE_PORT}/v1`,
            reasoningField: "none",
            models: [{ id: "gpt-oss-120b", label: "gpt-oss-120b (reasoning never sent)" }],
          },
        ]),
        // Every test browser comes from 127.0.0.1, and in anonymous mode the per-user limits
        // count per address too: the suite together must fit. Limits have specs of their own.
        RATE_LIMIT_REQUESTS_PER_MINUTE: "2000",
        MAX_CONCURRENT_STREAMS_PER_USER: "50",
        UPSTREAM_MAX_RETRIES: "0",
        // Short, so that the stall specs end soon; long enough that a loaded two-core machine
        // starving the fake or the server for a second does not look like a stall.
        UPSTREAM_IDLE_TIMEOUT_MS: "4000",
        UPSTREAM_CONNECT_TIMEOUT_MS: "5000",
      },
    },
  ],
});
