import "server-only";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { withTurns } from "./pglite-turns";
import * as schema from "./schema";

/** Raw results (db.execute) as both drivers give them: PGlite's Results and pg's QueryResult have `rows`. */
export interface DbQueryResultHKT extends PgQueryResultHKT {
  type: WithRows<this["row"]>;
}
type WithRows<T> = { rows: T[] };

/** What every query takes: satisfied by drizzle over PGlite and over node-postgres alike. */
export type Db = PgDatabase<DbQueryResultHKT, typeof schema>;

export type DbHandle = { db: Db; close(): Promise<void> };

export type OpenDbOptions =
  | {
      /** postgres:// URL of a PostgreSQL server. */
      databaseUrl: string;
      /** Schema to create tables and the migrations journal in (tests use a throwaway one). */
      searchPath?: string;
    }
  | {
      /** Folder for PGlite's files, or "memory://" for a database that lives in memory only. */
      dataDir: string;
    };

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

function migrationsFolder(): string {
  return path.join(process.cwd(), "lib", "db", "migrations");
}

/** Opens a database and migrates it, without caching: getDb() uses it, and tests call it directly. */
export async function openDb(options: OpenDbOptions): Promise<DbHandle> {
  return "databaseUrl" in options
    ? openPostgres(options.databaseUrl, options.searchPath)
    : openPglite(options.dataDir);
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  // Imported here so that a PostgreSQL deployment never loads PGlite's WASM.
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  // PostgreSQL's default of 128 MB lives in the WASM heap and is never given back. The tables
  // are small and the OS caches their files anyway: 16 MB holds the working set.
  const startParams = ["-c", "shared_buffers=16MB"];
  if (!dataDir.startsWith("memory://")) {
    await mkdir(dataDir, { recursive: true });
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      await initPgliteInChild(dataDir, startParams);
    }
  }
  const client = await PGlite.create(dataDir, {
    startParams: [...PGlite.defaultStartParams, ...startParams],
  });
  try {
    const db = drizzle({ client: withTurns(client), schema });
    await migrate(db, { migrationsFolder: migrationsFolder() });
    return { db, close: () => client.close() };
  } catch (error) {
    await client.close();
    throw error;
  }
}

/**
 * Creates and migrates a new PGlite database in a short-lived child process (lib/db/pglite-init.mjs):
 * initdb grows the WASM heap by hundreds of megabytes that this process would otherwise keep for
 * good (idle RSS about 800 MB instead of about 270 MB).
 */
async function initPgliteInChild(dataDir: string, startParams: string[]): Promise<void> {
  const script = path.join(process.cwd(), "lib", "db", "pglite-init.mjs");
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [script, dataDir, migrationsFolder(), ...startParams], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (text: string) => {
        stderr = (stderr + text).slice(-4000);
      });
      child.once("error", reject);
      child.once("close", (code) => resolve({ code, stderr }));
    },
  );
  if (code !== 0) {
    throw new Error(`creating the PGlite database in ${dataDir} failed (exit ${code}): ${stderr}`);
  }
}

async function openPostgres(databaseUrl: string, searchPath?: string): Promise<DbHandle> {
  if (searchPath !== undefined && !schemaName.test(searchPath)) {
    throw new Error("searchPath must be a plain lower-case schema name");
  }
  const [{ Client, Pool }, { drizzle }, { migrate }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
    import("drizzle-orm/node-postgres/migrator"),
  ]);
  const config = {
    connectionString: databaseUrl,
    options: searchPath ? `-c search_path=${searchPath}` : undefined,
  };
  const pool = new Pool(config);
  // An idle connection that the server drops emits "error" on the pool; unhandled, it would
  // take the process down. The next query simply opens a new connection.
  pool.on("error", (error) => log.warn("db.pool_error", { message: error.message }));
  try {
    const db = drizzle({ client: pool, schema });
    // Several instances may start at once against one database: a session-level advisory lock
    // on a connection of its own lets one migrate while the others wait, then find nothing to do.
    // Ending that connection releases the lock whatever happened.
    const lock = new Client(config);
    await lock.connect();
    try {
      await lock.query("SELECT pg_advisory_lock(hashtext($1))", [
        `thinkpane:migrate:${searchPath ?? ""}`,
      ]);
      await migrate(db, {
        migrationsFolder: migrationsFolder(),
        ...(searchPath ? { migrationsSchema: searchPath } : {}),
      });
    } finally {
      await lock.end();
    }
    return { db, close: () => pool.end() };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

async function openFromEnv(): Promise<DbHandle> {
  const { DATABASE_URL, DATA_DIR } = env();
  return DATABASE_URL
    ? openDb({ databaseUrl: DATABASE_URL })
    : openDb({ dataDir: path.join(DATA_DIR, "pglite") });
}

// Kept on globalThis: Next can evaluate this module more than once in one process (dev reloads,
// separate route bundles), and two PGlite instances on one folder would corrupt it.
const cacheKey = Symbol.for("thinkpane.db");
type Cache = { opening?: Promise<DbHandle> };
const cache = ((globalThis as { [cacheKey]?: Cache })[cacheKey] ??= {});

/** The app's database, opened and migrated on first use; a failed open is retried on the next call. */
export function getDb(): Promise<Db> {
  let opening = cache.opening;
  if (!opening) {
    const attempt = openFromEnv();
    cache.opening = opening = attempt;
    attempt.catch(() => {
      if (cache.opening === attempt) cache.opening = undefined;
    });
  }
  return opening.then((handle) => handle.db);
}

/** Closes the app's database (graceful shutdown); the next getDb() opens it again. */
export async function closeDb(): Promise<void> {
  const opening = cache.opening;
  cache.opening = undefined;
  if (!opening) return;
  const handle = await opening.catch(() => undefined);
  await handle?.close();
}

/** The db a query function runs on: the caller's (tests pass their own), else the app's. */
export function resolveDb(db: Db | undefined): Promise<Db> {
  return db ? Promise.resolve(db) : getDb();
}
