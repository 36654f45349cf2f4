import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { ThinkpaneError } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import { sameSettings } from "@/lib/presets/diff";
import { type Db, resolveDb } from "./client";
import { presets, presetVersions } from "./schema";

/**
 * An owner's presets. A preset row holds the name and the newest version's number; each version
 * is a row of its own, written once. Someone else's preset is "not there" (undefined / false).
 */

export type StoredPreset = {
  id: string;
  name: string;
  version: number;
  settings: Settings;
  updatedAt: Date;
};

const nameTaken = (name: string) =>
  new ThinkpaneError("conflict:name_taken", {
    message: `You already have a preset named "${name}".`,
    details: { field: "name" },
  });

/** PostgreSQL's unique_violation, wherever the driver or drizzle put it in the cause chain. */
function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/** Runs a write that sets a preset's name: a name the owner already uses becomes a 409. */
async function namingPreset<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
}

const storedColumns = {
  id: presets.id,
  name: presets.name,
  version: presets.version,
  settings: presetVersions.settings,
  updatedAt: presets.updatedAt,
};

/** The owner's presets with their newest settings, by name. */
export async function listPresets({
  db,
  ownerId,
}: {
  db?: Db;
  ownerId: string;
}): Promise<StoredPreset[]> {
  return (await resolveDb(db))
    .select(storedColumns)
    .from(presets)
    .innerJoin(
      presetVersions,
      and(eq(presetVersions.presetId, presets.id), eq(presetVersions.version, presets.version)),
    )
    .where(eq(presets.ownerId, ownerId))
    .orderBy(asc(presets.name), asc(presets.id));
}

/** One version of the owner's preset (the newest when `version` is absent), with the preset's name. */
export async function getPresetVersion({
  db,
  id,
  ownerId,
  version,
}: {
  db?: Db;
  id: string;
  ownerId: string;
  version?: number;
}): Promise<StoredPreset | undefined> {
  const [row] = await (
    await resolveDb(db)
  )
    .select(storedColumns)
    .from(presets)
    .innerJoin(
      presetVersions,
      and(
        eq(presetVersions.presetId, presets.id),
        eq(presetVersions.version, version ?? presets.version),
      ),
    )
    .where(and(eq(presets.id, id), eq(presets.ownerId, ownerId)));
  return row;
}

/** Every version of the owner's preset, oldest first; empty when it is not theirs. */
export async function listPresetVersions({
  db,
  id,
  ownerId,
}: {
  db?: Db;
  id: string;
  ownerId: string;
}): Promise<{ version: number; settings: Settings; createdAt: Date }[]> {
  return (await resolveDb(db))
    .select({
      version: presetVersions.version,
      settings: presetVersions.settings,
      createdAt: presetVersions.createdAt,
    })
    .from(presetVersions)
    .innerJoin(presets, eq(presets.id, presetVersions.presetId))
    .where(and(eq(presets.id, id), eq(presets.ownerId, ownerId)))
    .orderBy(asc(presetVersions.version));
}

async function insertPreset(
  tx: Db,
  { ownerId, name, settings }: { ownerId: string; name: string; settings: Settings },
): Promise<StoredPreset> {
  const id = randomUUID();
  const [row] = await tx.insert(presets).values({ id, ownerId, name, version: 1 }).returning();
  if (!row) throw new Error("INSERT … RETURNING gave no row");
  await tx.insert(presetVersions).values({ id: randomUUID(), presetId: id, version: 1, settings });
  return { id, name, version: 1, settings, updatedAt: row.updatedAt };
}

/** Creates a preset at version 1; a name the owner already uses is a conflict. */
export async function createPreset({
  db,
  ownerId,
  name,
  settings,
}: {
  db?: Db;
  ownerId: string;
  name: string;
  settings: Settings;
}): Promise<StoredPreset> {
  const database = await resolveDb(db);
  return namingPreset(name, () =>
    database.transaction((tx) => insertPreset(tx, { ownerId, name, settings })),
  );
}

/**
 * Saves new settings as the next version; settings equal to the newest version's add nothing.
 * Undefined when the preset is not the owner's.
 */
export async function savePresetVersion({
  db,
  id,
  ownerId,
  settings,
}: {
  db?: Db;
  id: string;
  ownerId: string;
  settings: Settings;
}): Promise<StoredPreset | undefined> {
  return (await resolveDb(db)).transaction(async (tx) => {
    // FOR UPDATE: two saves at once get consecutive versions, not the same one twice.
    const [preset] = await tx
      .select()
      .from(presets)
      .where(and(eq(presets.id, id), eq(presets.ownerId, ownerId)))
      .for("update");
    if (!preset) return undefined;
    const newest = await getPresetVersion({ db: tx, id, ownerId });
    if (newest && sameSettings(newest.settings, settings)) return newest;
    const version = preset.version + 1;
    await tx.insert(presetVersions).values({ id: randomUUID(), presetId: id, version, settings });
    const updatedAt = new Date();
    await tx.update(presets).set({ version, updatedAt }).where(eq(presets.id, id));
    return { id, name: preset.name, version, settings, updatedAt };
  });
}

/** Renames the owner's preset (its versions are untouched); false when it is not theirs. */
export async function renamePreset({
  db,
  id,
  ownerId,
  name,
}: {
  db?: Db;
  id: string;
  ownerId: string;
  name: string;
}): Promise<boolean> {
  const database = await resolveDb(db);
  const rows = await namingPreset(name, () =>
    database
      .update(presets)
      .set({ name, updatedAt: new Date() })
      .where(and(eq(presets.id, id), eq(presets.ownerId, ownerId)))
      .returning({ id: presets.id }),
  );
  return rows.length > 0;
}

/** Deletes the owner's preset and its versions; false when it is not theirs. */
export async function deletePreset({
  db,
  id,
  ownerId,
}: {
  db?: Db;
  id: string;
  ownerId: string;
}): Promise<boolean> {
  const rows = await (
    await resolveDb(db)
  )
    .delete(presets)
    .where(and(eq(presets.id, id), eq(presets.ownerId, ownerId)))
    .returning({ id: presets.id });
  return rows.length > 0;
}

/** The name itself when free, else the first free "name (2)", "name (3)", … within the length limit. */
export function freeName(name: string, taken: ReadonlySet<string>, maxLength: number): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${Array.from(name)
      .slice(0, maxLength - suffix.length)
      .join("")
      .trimEnd()}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Adds presets as new ones of the owner's, all in one transaction: all or nothing. A name the
 * owner already uses gets a number, so that importing one's own export twice keeps both.
 */
export async function importPresets({
  db,
  ownerId,
  items,
  nameMax,
}: {
  db?: Db;
  ownerId: string;
  items: readonly { name: string; settings: Settings }[];
  nameMax: number;
}): Promise<StoredPreset[]> {
  return (await resolveDb(db)).transaction(async (tx) => {
    const existing = await tx
      .select({ name: presets.name })
      .from(presets)
      .where(eq(presets.ownerId, ownerId));
    const taken = new Set(existing.map((row) => row.name));
    const created: StoredPreset[] = [];
    for (const item of items) {
      const name = freeName(item.name, taken, nameMax);
      taken.add(name);
      created.push(await insertPreset(tx, { ownerId, name, settings: item.settings }));
    }
    return created;
  });
}
