/**
 * Fills a database with many stored conversations before the app starts, through the app's own
 * Drizzle schema and migrations (the same the app runs at start, so it finds nothing to migrate).
 * Bulk inserts take seconds where 10,000 import requests would take minutes. PGlite is
 * single-process, so its folder is seeded before `npm start` opens it.
 */
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "../../lib/db/schema";

type SeedDb = PgDatabase<PgQueryResultHKT, typeof schema>;

const MIGRATIONS = (root: string) => path.join(root, "lib", "db", "migrations");
const BATCH = 250;
const OWNERS = 100;

/** A short exchange, as most stored conversations are. */
function seedRows(i: number, now: Date) {
  const conversationId = `seed-${i}-${randomBytes(6).toString("hex")}`;
  const ownerId = `seed-owner-${i % OWNERS}`;
  const settings = { model: "openai/gpt-oss-120b", params: {} };
  const question = `Question ${i}: how do I read a file line by line?`;
  const answer = `Open it and iterate:\n\n\`\`\`python\nwith open("f.txt") as f:\n    for line in f:\n        print(line)\n\`\`\`\n\nEach \`line\` keeps its newline (seed ${i}).`;
  const parts = {
    user: [{ type: "text" as const, text: question }],
    assistant: [
      { type: "reasoning" as const, text: "A simple file-reading question." },
      { type: "text" as const, text: answer },
    ],
  };
  const message = (seq: 1 | 2) => ({
    id: `${conversationId}-m${seq}`,
    conversationId,
    seq,
    role: seq === 1 ? ("user" as const) : ("assistant" as const),
    parts: seq === 1 ? parts.user : parts.assistant,
    status: "done" as const,
  });
  const snapshotMessages = [1, 2].map((seq) => {
    const { id, role, parts: p, status } = message(seq as 1 | 2);
    return { id, role, parts: p, status };
  });
  return {
    conversation: {
      id: conversationId,
      ownerId,
      title: `Seeded ${i}`,
      settings,
      createdAt: now,
      updatedAt: now,
    },
    messages: [message(1), message(2)],
    // One in ten conversations has a share link.
    share:
      i % 10 === 0
        ? {
            token: randomBytes(18).toString("base64url"),
            conversationId,
            ownerId,
            snapshot: {
              title: `Seeded ${i}`,
              createdAt: now.toISOString(),
              messages: snapshotMessages,
              settings,
            },
            includeReasoning: true,
            includeSettings: true,
          }
        : undefined,
  };
}

/** One transaction: a commit per batch would make PGlite sync its files each time. */
function insertAll(db: SeedDb, count: number) {
  const now = new Date();
  return db.transaction(async (tx) => {
    for (let start = 0; start < count; start += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) =>
        seedRows(start + k, now),
      );
      await tx.insert(schema.conversations).values(rows.map((r) => r.conversation));
      await tx.insert(schema.messages).values(rows.flatMap((r) => r.messages));
      const shares = rows.flatMap((r) => (r.share ? [r.share] : []));
      if (shares.length > 0) await tx.insert(schema.shares).values(shares);
    }
  });
}

/** Seeds the PGlite folder the app will open (`<DATA_DIR>/pglite`, as lib/db/client.ts does). */
export async function seedPglite(root: string, dataDir: string, count: number): Promise<void> {
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  const folder = path.join(dataDir, "pglite");
  await mkdir(folder, { recursive: true });
  const client = await PGlite.create(folder);
  try {
    const db = drizzle({ client, schema });
    await migrate(db, { migrationsFolder: MIGRATIONS(root) });
    await insertAll(db, count);
  } finally {
    await client.close();
  }
}

export async function seedPostgres(
  root: string,
  databaseUrl: string,
  count: number,
): Promise<void> {
  const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
    import("drizzle-orm/node-postgres/migrator"),
  ]);
  const pool = new pg.Pool({ connectionString: databaseUrl });
  try {
    const db = drizzle({ client: pool, schema });
    await migrate(db, { migrationsFolder: MIGRATIONS(root) });
    await insertAll(db, count);
  } finally {
    await pool.end();
  }
}
