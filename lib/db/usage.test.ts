import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { usageEvents } from "@/lib/db/schema";
import { dailyUsage, recordUsage, type UsageEntry } from "@/lib/db/usage";
import { forEachBackend, uniqueId } from "@/lib/testing/db";

function entry(ownerId: string, overrides: Partial<UsageEntry> = {}): UsageEntry {
  return {
    ownerId,
    conversationId: uniqueId("c"),
    messageId: uniqueId("m"),
    model: "openai/gpt-oss-120b",
    status: "done",
    promptTokens: 100,
    completionTokens: 50,
    reasoningTokens: 30,
    costUsd: 0.001,
    estimated: false,
    ...overrides,
  };
}

describe("usage ledger", () => {
  forEachBackend((t) => {
    it("sums tokens (reasoning apart) and cost per owner per UTC day", async () => {
      const alice = uniqueId("user:alice");
      const bob = uniqueId("user:bob");
      await recordUsage({ db: t.db, entry: entry(alice) });
      await recordUsage({
        db: t.db,
        entry: entry(alice, { promptTokens: 10, completionTokens: 20, reasoningTokens: 5 }),
      });
      await recordUsage({
        db: t.db,
        entry: entry(alice, { costUsd: null, estimated: true, status: "stopped" }),
      });
      await recordUsage({ db: t.db, entry: entry(bob, { costUsd: null }) });

      // A row from three days ago, inserted with its own timestamp.
      const old = entry(alice);
      await t.db
        .insert(usageEvents)
        .values({ id: uniqueId("u"), ...old, createdAt: sql`now() - interval '3 days'` });

      const today = new Date().toISOString().slice(0, 10);
      const rows = await dailyUsage({ db: t.db, days: 7 });
      const aliceToday = rows.find((r) => r.ownerId === alice && r.day === today);
      expect(aliceToday).toEqual({
        day: today,
        ownerId: alice,
        turns: 3,
        promptTokens: 210,
        answerTokens: 20 + 15 + 20,
        reasoningTokens: 65,
        costUsd: expect.closeTo(0.002, 10),
        estimatedTurns: 1,
      });
      expect(rows.find((r) => r.ownerId === bob && r.day === today)).toMatchObject({
        turns: 1,
        costUsd: null,
      });
      const aliceDays = rows.filter((r) => r.ownerId === alice).map((r) => r.day);
      expect(aliceDays).toHaveLength(2);
      expect(aliceDays[0]).toBe(today); // newest first

      // Narrowed to one owner, and to fewer days.
      const onlyBob = await dailyUsage({ db: t.db, days: 7, ownerId: bob });
      expect(onlyBob.map((r) => r.ownerId)).toEqual([bob]);
      const oneDay = await dailyUsage({ db: t.db, days: 1, ownerId: alice });
      expect(oneDay.map((r) => r.day)).toEqual([today]);
    });
  });
});
