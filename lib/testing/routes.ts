import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { configureEnv, ENV_VARS, restoreEnv } from "./env";

/**
 * Route tests on a PGlite database of the file's own, with every app variable unset (so no
 * REDIS_URL: generations use the in-memory bus) and rejection warnings kept out of the output.
 * Call at the top of a test file.
 */
export function routeTestDatabase(name: string): {
  /** The variables every test starts with, for a test that configures more. */
  baseEnv: () => Record<string, string | undefined>;
} {
  let dataDir: string;
  const baseEnv = () => ({
    ...Object.fromEntries(ENV_VARS.map((variable) => [variable, undefined])),
    DATA_DIR: dataDir,
  });
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), `thinkpane-${name}-route-`));
    configureEnv(baseEnv());
    await getDb();
  }, 30_000);
  afterAll(async () => {
    await closeDb();
    restoreEnv();
    await rm(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    configureEnv(baseEnv());
    vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterEach(() => {
    restoreEnv();
  });
  return { baseEnv };
}

export const testUrl = (pathname: string) => `http://localhost${pathname}`;
export const idContext = (id: string) => ({ params: Promise.resolve({ id }) });

/** A request with a JSON body (a string is sent as-is, to test malformed bodies). */
export function jsonRequest(pathname: string, method: string, body: unknown): Request {
  return new Request(testUrl(pathname), {
    method,
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
