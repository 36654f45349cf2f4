import { describe, expect, it } from "vitest";
import type { Settings } from "@/lib/params";
import { forEachBackend, uniqueId } from "@/lib/testing/db";
import {
  createPreset,
  deletePreset,
  freeName,
  getPresetVersion,
  importPresets,
  listPresets,
  listPresetVersions,
  renamePreset,
  savePresetVersion,
} from "./presets";

const A: Settings = { model: "m", params: { temperature: 0.5 } };
const B: Settings = { model: "m", system: "s", params: { temperature: 0.9 } };

describe("freeName", () => {
  it("numbers a taken name, within the length limit", () => {
    expect(freeName("x", new Set(), 10)).toBe("x");
    expect(freeName("x", new Set(["x", "x (2)"]), 10)).toBe("x (3)");
    expect(freeName("abcdefghij", new Set(["abcdefghij"]), 10)).toBe("abcdef (2)");
  });
});

describe("presets storage", () => {
  forEachBackend((t) => {
    it("keeps every version; the newest is the preset's", async () => {
      const ownerId = uniqueId("o");
      const created = await createPreset({ db: t.db, ownerId, name: "P", settings: A });
      const saved = await savePresetVersion({ db: t.db, id: created.id, ownerId, settings: B });
      expect(saved).toMatchObject({ version: 2, settings: B });
      // Concurrent saves get consecutive versions.
      const C = { ...B, system: "c" };
      const D = { ...B, system: "d" };
      const both = await Promise.all([
        savePresetVersion({ db: t.db, id: created.id, ownerId, settings: C }),
        savePresetVersion({ db: t.db, id: created.id, ownerId, settings: D }),
      ]);
      expect(both.map((p) => p?.version).sort()).toEqual([3, 4]);
      const versions = await listPresetVersions({ db: t.db, id: created.id, ownerId });
      expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4]);
      expect(versions[0]!.settings).toEqual(A);
      expect(
        (await getPresetVersion({ db: t.db, id: created.id, ownerId, version: 1 }))?.settings,
      ).toEqual(A);
      expect((await listPresets({ db: t.db, ownerId })).map((p) => p.version)).toEqual([4]);
    });

    it("is invisible and untouchable to another owner", async () => {
      const ownerId = uniqueId("o");
      const other = uniqueId("o");
      const { id } = await createPreset({ db: t.db, ownerId, name: "P", settings: A });
      expect(await getPresetVersion({ db: t.db, id, ownerId: other })).toBeUndefined();
      expect(await listPresetVersions({ db: t.db, id, ownerId: other })).toEqual([]);
      expect(
        await savePresetVersion({ db: t.db, id, ownerId: other, settings: B }),
      ).toBeUndefined();
      expect(await renamePreset({ db: t.db, id, ownerId: other, name: "X" })).toBe(false);
      expect(await deletePreset({ db: t.db, id, ownerId: other })).toBe(false);
      expect(await listPresets({ db: t.db, ownerId: other })).toEqual([]);
      expect(await getPresetVersion({ db: t.db, id, ownerId })).toMatchObject({
        name: "P",
        version: 1,
      });
      expect(await deletePreset({ db: t.db, id, ownerId })).toBe(true);
      expect(await listPresetVersions({ db: t.db, id, ownerId })).toEqual([]);
    });

    it("refuses a second preset or a rename onto a name the owner uses", async () => {
      const ownerId = uniqueId("o");
      await createPreset({ db: t.db, ownerId, name: "Taken", settings: A });
      const other = await createPreset({ db: t.db, ownerId, name: "Other", settings: A });
      await expect(
        createPreset({ db: t.db, ownerId, name: "Taken", settings: B }),
      ).rejects.toMatchObject({
        code: "conflict:name_taken",
      });
      await expect(
        renamePreset({ db: t.db, id: other.id, ownerId, name: "Taken" }),
      ).rejects.toMatchObject({
        code: "conflict:name_taken",
      });
    });

    it("imports all or nothing", async () => {
      const ownerId = uniqueId("o");
      await createPreset({ db: t.db, ownerId, name: "Kept", settings: A });
      // The second row is one the database refuses (settings is NOT NULL): the first goes too.
      const invalid = { name: "Null", settings: null as unknown as Settings };
      await expect(
        importPresets({
          db: t.db,
          ownerId,
          items: [{ name: "New", settings: B }, invalid],
          nameMax: 80,
        }),
      ).rejects.toThrow();
      expect((await listPresets({ db: t.db, ownerId })).map((p) => p.name)).toEqual(["Kept"]);
      const created = await importPresets({
        db: t.db,
        ownerId,
        items: [
          { name: "Kept", settings: B },
          { name: "Fresh", settings: A },
        ],
        nameMax: 80,
      });
      expect(created.map((p) => p.name)).toEqual(["Kept (2)", "Fresh"]);
    });
  });
});
