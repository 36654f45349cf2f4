import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import journal from "@/lib/db/migrations/meta/_journal.json";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeDb, type Db, getDb, openDb } from "@/lib/db/client";
import { env, EnvError } from "@/lib/env";
import { createConversation, getConversation, listConversations } from "@/lib/db/conversations";
import { appendMessage } from "@/lib/db/messages";
import { getOrCreateSecret } from "@/lib/db/secrets";
import { createShare, getActiveShare } from "@/lib/db/shares";
import { configureEnv, ENV_VARS, restoreEnv } from "@/lib/testing/env";
import {
  backendTitle,
  createTestSchema,
  dropTestSchema,
  openTestDatabase,
  testDatabaseUrl,
  uniqueId,
} from "@/lib/testing/db";

const settings = { model: "openai/gpt-oss-120b", params: {} };

async function appliedMigrations(db: Db, migrationsSchema: string): Promise<number> {
  const result = await db.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ${sql.identifier(migrationsSchema)}.__drizzle_migrations`,
  );
  return result.rows[0]?.n ?? -1;
}

let tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "thinkpane-db-"));
  tempDirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  tempDirs = [];
});

describe("openDb", () => {
  it("refuses a search path that is not a plain schema name", async () => {
    await expect(
      openDb({ databaseUrl: "postgres://127.0.0.1:1/none", searchPath: 'x"; DROP SCHEMA public' }),
    ).rejects.toThrow(/schema name/);
  });

  describe("pglite", () => {
    it("keeps data in its folder across close and reopen, migrating only once", async () => {
      const dataDir = path.join(await tempDir(), "nested", "pglite");
      const ownerId = uniqueId("owner");

      const first = await openDb({ dataDir });
      expect(existsSync(dataDir)).toBe(true);
      const { id } = await createConversation({ db: first.db, ownerId, title: "Kept", settings });
      await appendMessage({
        db: first.db,
        conversationId: id,
        message: { id: uniqueId("m"), role: "user", parts: [{ type: "text", text: "still here" }] },
      });
      const share = await createShare({
        db: first.db,
        conversationId: id,
        ownerId,
        snapshot: { title: "Kept", createdAt: new Date().toISOString(), messages: [] },
        includeReasoning: false,
        includeSettings: false,
        expiresAt: null,
      });
      const secret = await getOrCreateSecret({ db: first.db, name: "session", create: () => "s1" });
      await first.close();

      const second = await openDb({ dataDir });
      try {
        expect(await appliedMigrations(second.db, "drizzle")).toBe(journal.entries.length);
        const loaded = await getConversation({ db: second.db, id, ownerId });
        expect(loaded?.title).toBe("Kept");
        expect(loaded?.messages.map((m) => m.parts)).toEqual([
          [{ type: "text", text: "still here" }],
        ]);
        expect(await getActiveShare({ db: second.db, token: share.token })).toBeDefined();
        expect(
          await getOrCreateSecret({ db: second.db, name: "session", create: () => "s2" }),
        ).toBe(secret);
      } finally {
        await second.close();
      }
    }, 30_000);
  });

  describe.skipIf(!testDatabaseUrl)(backendTitle("postgres"), () => {
    it("migrates once; opening the same schema again finds nothing to do", async () => {
      const first = await openTestDatabase("postgres");
      try {
        const searchPath = first.searchPath!;
        const ownerId = uniqueId("owner");
        const { id } = await createConversation({ db: first.db, ownerId, title: "x", settings });
        const second = await openDb({ databaseUrl: testDatabaseUrl!, searchPath });
        try {
          expect(await appliedMigrations(second.db, searchPath)).toBe(journal.entries.length);
          expect(await getConversation({ db: second.db, id, ownerId })).toBeDefined();
        } finally {
          await second.close();
        }
      } finally {
        await first.close();
      }
    });

    it("lets instances that start at once share one database", async () => {
      const searchPath = await createTestSchema();
      const handles = await Promise.allSettled(
        Array.from({ length: 3 }, () => openDb({ databaseUrl: testDatabaseUrl!, searchPath })),
      );
      try {
        const opened = handles.map((h) => (h.status === "fulfilled" ? h.value : h.reason));
        expect(handles.map((h) => h.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
        const dbs = opened.map((h) => h.db as Db);
        expect(await appliedMigrations(dbs[0]!, searchPath)).toBe(journal.entries.length);

        const secrets = await Promise.all(
          dbs.map((db, i) => getOrCreateSecret({ db, name: "session", create: () => `v${i}` })),
        );
        expect(new Set(secrets).size).toBe(1);

        const ownerId = uniqueId("owner");
        const { id } = await createConversation({ db: dbs[0]!, ownerId, title: "t", settings });
        const appended = await Promise.all(
          Array.from({ length: 9 }, (_, i) =>
            appendMessage({
              db: dbs[i % 3]!,
              conversationId: id,
              message: { id: uniqueId("m"), role: "user", parts: [] },
            }),
          ),
        );
        expect(appended.map((m) => m.seq).sort((a, b) => a - b)).toEqual([
          1, 2, 3, 4, 5, 6, 7, 8, 9,
        ]);
      } finally {
        for (const h of handles) if (h.status === "fulfilled") await h.value.close();
        await dropTestSchema(searchPath);
      }
    });
  });
});

describe("database configuration", () => {
  beforeEach(() => {
    configureEnv(Object.fromEntries(ENV_VARS.map((name) => [name, undefined])));
  });

  afterEach(() => {
    restoreEnv();
  });

  it("defaults to PGlite in .data", () => {
    expect(env().DATABASE_URL).toBeUndefined();
    expect(env().DATA_DIR).toBe(".data");
    configureEnv({ DATABASE_URL: "  ", DATA_DIR: "" });
    expect(env().DATABASE_URL).toBeUndefined();
    expect(env().DATA_DIR).toBe(".data");
  });

  it("takes a postgres URL and a data folder", () => {
    configureEnv({ DATABASE_URL: "postgresql://u:p@db:5432/app", DATA_DIR: "/var/lib/tp" });
    expect(env()).toMatchObject({
      DATABASE_URL: "postgresql://u:p@db:5432/app",
      DATA_DIR: "/var/lib/tp",
    });
  });

  it("names a DATABASE_URL that is not PostgreSQL's, without echoing it", () => {
    configureEnv({ DATABASE_URL: "mysql://user:hunter2@db/app" });
    expect(() => env()).toThrow(EnvError);
    expect(() => env()).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => env()).not.toThrow(/hunter2/);
  });
});

describe("getDb", () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = path.join(await tempDir(), "data");
    configureEnv({
      ...Object.fromEntries(ENV_VARS.map((name) => [name, undefined])),
      DATA_DIR: dataDir,
    });
  });

  afterEach(async () => {
    await closeDb();
    restoreEnv();
  });

  it("opens nothing until first used, then one migrated PGlite under DATA_DIR", async () => {
    expect(existsSync(dataDir)).toBe(false);
    const [a, b] = await Promise.all([getDb(), getDb()]);
    expect(a).toBe(b);
    expect(existsSync(path.join(dataDir, "pglite"))).toBe(true);
    expect(await getDb()).toBe(a);

    // Query functions use it when no db is passed.
    const ownerId = uniqueId("owner");
    await createConversation({ ownerId, title: "Default db", settings });
    expect((await listConversations({ ownerId })).map((c) => c.title)).toEqual(["Default db"]);
  }, 30_000);

  it("opens again after closeDb, with the data still there", async () => {
    const ownerId = uniqueId("owner");
    await createConversation({ ownerId, title: "Before restart", settings });
    const before = await getDb();
    await closeDb();
    const after = await getDb();
    expect(after).not.toBe(before);
    expect((await listConversations({ ownerId })).map((c) => c.title)).toEqual(["Before restart"]);
  }, 30_000);

  it("forgets a failed open, so the next call tries again", async () => {
    configureEnv({ DATABASE_URL: "postgres://thinkpane@127.0.0.1:1/unreachable" });
    await expect(getDb()).rejects.toThrow();
    configureEnv({ DATABASE_URL: undefined, DATA_DIR: dataDir });
    await expect(getDb()).resolves.toBeDefined();
  }, 30_000);
});
