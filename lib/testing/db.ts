import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { type Db, type DbHandle, openDb } from "@/lib/db/client";

/**
 * Storage tests run against in-memory PGlite always, and also against PostgreSQL when
 * TEST_DATABASE_URL names a server (CI sets it). Each PostgreSQL suite works in a throwaway
 * schema of its own, dropped afterwards; `public` is never touched.
 */

// The test runner's setting, not the app's configuration: lib/env.ts does not know it.
// eslint-disable-next-line no-restricted-syntax
export const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;

export type Backend = "pglite" | "postgres";

export const backends: readonly Backend[] = ["pglite", "postgres"];

export function backendAvailable(backend: Backend): boolean {
  return backend === "pglite" || testDatabaseUrl !== undefined;
}

/** The suite title, saying why a PostgreSQL suite is skipped. */
export function backendTitle(backend: Backend): string {
  return backend === "postgres" && !testDatabaseUrl
    ? "postgres (skipped: TEST_DATABASE_URL is not set)"
    : backend;
}

function requireTestDatabaseUrl(): string {
  if (!testDatabaseUrl) throw new Error("TEST_DATABASE_URL is not set");
  return testDatabaseUrl;
}

async function adminQuery(statement: string): Promise<void> {
  const client = new Client({ connectionString: requireTestDatabaseUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh, empty schema on the test server; drop it with dropTestSchema. */
export async function createTestSchema(): Promise<string> {
  const name = `t_${randomBytes(8).toString("hex")}`;
  await adminQuery(`CREATE SCHEMA "${name}"`);
  return name;
}

export async function dropTestSchema(name: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
}

export type TestDatabase = DbHandle & {
  backend: Backend;
  /** The PostgreSQL schema the tables live in (undefined for PGlite). */
  searchPath?: string;
};

/** A freshly migrated database on `backend`; close() also drops a PostgreSQL schema. */
export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === "pglite") {
    return { backend, ...(await openDb({ dataDir: "memory://" })) };
  }
  const searchPath = await createTestSchema();
  try {
    const handle = await openDb({ databaseUrl: requireTestDatabaseUrl(), searchPath });
    return {
      backend,
      searchPath,
      db: handle.db,
      close: async () => {
        try {
          await handle.close();
        } finally {
          await dropTestSchema(searchPath);
        }
      },
    };
  } catch (error) {
    await dropTestSchema(searchPath);
    throw error;
  }
}

export type BackendContext = {
  backend: Backend;
  /** The suite's database; read it inside tests and hooks (it opens in beforeAll). */
  readonly db: Db;
  /** The PostgreSQL schema of the suite (undefined for PGlite). */
  readonly searchPath: string | undefined;
};

/**
 * Declares `body` once per backend, each in its own describe block with one migrated database
 * for the block. A backend that is not available shows up as a skipped suite.
 */
export function forEachBackend(body: (t: BackendContext) => void): void {
  for (const backend of backends) {
    describe.skipIf(!backendAvailable(backend))(backendTitle(backend), () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await openTestDatabase(backend);
      }, 30_000);
      afterAll(async () => {
        await database?.close();
      });
      body({
        backend,
        get db() {
          if (!database)
            throw new Error("The test database is opened in beforeAll; use it in tests");
          return database.db;
        },
        get searchPath() {
          return database?.searchPath;
        },
      });
    });
  }
}

/** A random id, so that tests sharing a database do not see each other's rows. */
export function uniqueId(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}
