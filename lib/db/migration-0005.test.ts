import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { getConversation } from "@/lib/db/conversations";
import * as schema from "@/lib/db/schema";
import { activePath, versionsOf } from "@/lib/conversations/tree";
import {
  backendAvailable,
  backends,
  backendTitle,
  createTestSchema,
  dropTestSchema,
  testDatabaseUrl,
} from "@/lib/testing/db";

/*
 * Acceptance 5 of issue 12: a database made by the previous migrations (0000-0004), holding a
 * conversation written the way the previous code wrote it, reads back unchanged as a single
 * path once 0005_message_tree has run.
 */

const allMigrations = path.join(process.cwd(), "lib", "db", "migrations");
const LAST_PREVIOUS = "0004_comparisons";

/** A copy of the migrations folder that stops at 0004. */
async function previousMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "thinkpane-migrations-"));
  await cp(allMigrations, dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(await readFile(journalPath, "utf8")) as {
    entries: { tag: string }[];
  };
  const end = journal.entries.findIndex((e) => e.tag === LAST_PREVIOUS);
  expect(end).toBeGreaterThanOrEqual(0);
  for (const entry of journal.entries.slice(end + 1)) await rm(path.join(dir, `${entry.tag}.sql`));
  journal.entries = journal.entries.slice(0, end + 1);
  await writeFile(journalPath, JSON.stringify(journal));
  return dir;
}

type Opened = { db: Db; migrate(folder: string): Promise<void>; close(): Promise<void> };

async function openRaw(backend: "pglite" | "postgres"): Promise<Opened> {
  if (backend === "pglite") {
    const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
    const client = await PGlite.create("memory://");
    const db = drizzle({ client, schema });
    return {
      db: db as unknown as Db,
      migrate: (migrationsFolder) => migrate(db, { migrationsFolder }),
      close: () => client.close(),
    };
  }
  const [{ Pool }, { drizzle }, { migrate }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
    import("drizzle-orm/node-postgres/migrator"),
  ]);
  const searchPath = await createTestSchema();
  const pool = new Pool({
    connectionString: testDatabaseUrl,
    options: `-c search_path=${searchPath}`,
  });
  const db = drizzle({ client: pool, schema });
  return {
    db: db as unknown as Db,
    migrate: (migrationsFolder) => migrate(db, { migrationsFolder, migrationsSchema: searchPath }),
    close: async () => {
      await pool.end();
      await dropTestSchema(searchPath);
    },
  };
}

const OWNER = "owner-old";
const messagesWritten = [
  { id: "m1", role: "user", parts: [{ type: "text", text: "First question" }], metadata: null },
  {
    id: "m2",
    role: "assistant",
    parts: [
      { type: "reasoning", text: "Thinking…", state: "done" },
      { type: "text", text: "First answer", state: "done" },
    ],
    metadata: { model: "openai/gpt-oss-120b", totalMs: 1200 },
  },
  { id: "m3", role: "user", parts: [{ type: "text", text: "Follow-up" }], metadata: null },
  {
    id: "m4",
    role: "assistant",
    parts: [{ type: "text", text: "Second answer", state: "done" }],
    metadata: { model: "openai/gpt-oss-120b" },
  },
] as const;

/** What the previous code wrote: a conversation, its messages by seq, an exchange, a share. */
async function writeTheOldWay(db: Db): Promise<void> {
  const settings = JSON.stringify({ model: "openai/gpt-oss-120b", params: {} });
  await db.execute(sql`INSERT INTO conversations (id, owner_id, title, settings, created_at, updated_at)
    VALUES ('c-old', ${OWNER}, 'Old conversation', ${settings}::jsonb,
            '2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z'),
           ('c-empty', ${OWNER}, 'Empty', ${settings}::jsonb,
            '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z')`);
  for (const [i, m] of messagesWritten.entries())
    await db.execute(sql`INSERT INTO messages
      (id, conversation_id, seq, role, parts, metadata, status, created_at, updated_at)
      VALUES (${m.id}, 'c-old', ${i + 1}, ${m.role}, ${JSON.stringify(m.parts)}::jsonb,
              ${m.metadata === null ? null : JSON.stringify(m.metadata)}::jsonb, 'done',
              ${`2026-01-01T00:0${i}:00Z`}, ${`2026-01-01T00:0${i}:30Z`})`);
  await db.execute(sql`INSERT INTO exchanges (message_id, conversation_id, data)
    VALUES ('m4', 'c-old', '{"version":1}'::jsonb)`);
}

async function oldColumns(db: Db) {
  return (
    await db.execute<Record<string, unknown>>(
      sql`SELECT id, conversation_id, seq, role, parts, metadata, status, created_at, updated_at
          FROM messages ORDER BY conversation_id, seq`,
    )
  ).rows;
}

describe("migration 0005_message_tree on a database made by 0000-0004", () => {
  let previous = "";
  beforeAll(async () => {
    previous = await previousMigrations();
  });
  afterAll(async () => {
    if (previous) await rm(previous, { recursive: true, force: true });
  });

  for (const backend of backends) {
    describe.skipIf(!backendAvailable(backend))(backendTitle(backend), () => {
      it("reads a conversation written the old way back unchanged, as a single path", async () => {
        const opened = await openRaw(backend);
        try {
          await opened.migrate(previous);
          const columns = await opened.db.execute<{ column_name: string }>(
            sql`SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'messages'`,
          );
          // Truly the previous schema: no tree yet.
          expect(columns.rows.map((c) => c.column_name)).not.toContain("parent_id");
          await writeTheOldWay(opened.db);
          const before = await oldColumns(opened.db);

          await opened.migrate(allMigrations);

          expect(await oldColumns(opened.db)).toEqual(before);
          const conversation = await getConversation({
            db: opened.db,
            id: "c-old",
            ownerId: OWNER,
          });
          expect(conversation).toBeDefined();
          expect(conversation!.updatedAt.toISOString()).toBe("2026-01-01T00:05:00.000Z");
          expect(conversation!.activeLeafId).toBe("m4");
          expect(conversation!.messages.map((m) => [m.id, m.parentId])).toEqual([
            ["m1", null],
            ["m2", "m1"],
            ["m3", "m2"],
            ["m4", "m3"],
          ]);
          const path = activePath(conversation!.messages, conversation!.activeLeafId);
          expect(
            path.map((m) => ({ id: m.id, role: m.role, parts: m.parts, metadata: m.metadata })),
          ).toEqual(messagesWritten);
          expect(versionsOf(conversation!.messages, path)).toEqual({});

          const empty = await getConversation({ db: opened.db, id: "c-empty", ownerId: OWNER });
          expect(empty).toMatchObject({ activeLeafId: null, messages: [] });

          const exchange = await opened.db.execute<{ message_id: string }>(
            sql`SELECT message_id FROM exchanges`,
          );
          expect(exchange.rows).toEqual([{ message_id: "m4" }]);
        } finally {
          await opened.close();
        }
      }, 60_000);
    });
  }
});
