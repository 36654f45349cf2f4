import { describe, expect, it } from "vitest";
import { getOrCreateSecret } from "@/lib/db/secrets";
import { forEachBackend, uniqueId } from "@/lib/testing/db";

describe("secrets", () => {
  forEachBackend((t) => {
    it("creates a secret once and returns it from then on", async () => {
      const name = uniqueId("secret");
      let created = 0;
      const create = () => `value-${++created}`;
      expect(await getOrCreateSecret({ db: t.db, name, create })).toBe("value-1");
      expect(await getOrCreateSecret({ db: t.db, name, create })).toBe("value-1");
      expect(created).toBe(1);
    });

    it("agrees on one value when many ask at once", async () => {
      const name = uniqueId("secret");
      const values = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          getOrCreateSecret({ db: t.db, name, create: () => `candidate-${i}` }),
        ),
      );
      expect(new Set(values).size).toBe(1);
      expect(values[0]).toMatch(/^candidate-\d$/);
      expect(await getOrCreateSecret({ db: t.db, name, create: () => "late" })).toBe(values[0]);
    });

    it("keeps secrets apart by name", async () => {
      const a = await getOrCreateSecret({ db: t.db, name: uniqueId("a"), create: () => "A" });
      const b = await getOrCreateSecret({ db: t.db, name: uniqueId("b"), create: () => "B" });
      expect([a, b]).toEqual(["A", "B"]);
    });
  });
});
