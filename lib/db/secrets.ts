import "server-only";
import { eq } from "drizzle-orm";
import { type Db, resolveDb } from "./client";
import { appSecrets } from "./schema";

/**
 * A secret generated once and kept in the database (e.g. the cookie signing key), so that every
 * instance on the same database uses the same value. When several create it at once, the first
 * insert wins and everyone reads that one back.
 */
export async function getOrCreateSecret({
  db,
  name,
  create,
}: {
  db?: Db;
  name: string;
  create: () => string;
}): Promise<string> {
  const conn = await resolveDb(db);
  const read = async () => {
    const [row] = await conn
      .select({ value: appSecrets.value })
      .from(appSecrets)
      .where(eq(appSecrets.name, name));
    return row?.value;
  };
  const existing = await read();
  if (existing !== undefined) return existing;
  await conn.insert(appSecrets).values({ name, value: create() }).onConflictDoNothing();
  const stored = await read();
  if (stored === undefined) throw new Error(`Secret ${name} vanished after it was created`);
  return stored;
}
