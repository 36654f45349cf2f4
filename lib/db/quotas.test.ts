import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ThinkpaneError } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import { forEachBackend, uniqueId } from "@/lib/testing/db";
import type { NewMessage } from "./messages";
import { assertWithinQuotas, type Quotas, storedTotals } from "./quotas";
import { conversations, messages } from "./schema";
import { recordTurnChange } from "./turns";

const settings: Settings = { model: "openai/gpt-oss-120b", params: {} };
const off: Quotas = { conversations: 0, messages: 0, bytes: 0 };

const message = (text: string, role: NewMessage["role"] = "user"): NewMessage => ({
  id: uniqueId("m"),
  role,
  parts: [{ type: "text", text }],
});

describe("storage quotas", () => {
  forEachBackend((t) => {
    /** An owner with `n` conversations of `perConversation` messages each, inserted in bulk. */
    async function seedOwner(n: number, perConversation: number): Promise<string> {
      const ownerId = uniqueId("owner");
      const ids = Array.from({ length: n }, () => uniqueId("c"));
      await t.db
        .insert(conversations)
        .values(ids.map((id) => ({ id, ownerId, title: "Seeded", settings })));
      const rows = ids.flatMap((conversationId) =>
        Array.from({ length: perConversation }, (_, i) => ({
          id: uniqueId("m"),
          conversationId,
          seq: i + 1,
          role: i % 2 ? ("assistant" as const) : ("user" as const),
          parts: [{ type: "text" as const, text: `message ${i} `.repeat(20) }],
        })),
      );
      for (let start = 0; start < rows.length; start += 500)
        await t.db.insert(messages).values(rows.slice(start, start + 500));
      return ownerId;
    }

    async function ownerCounts(ownerId: string) {
      const [c] = await t.db
        .select({ n: count() })
        .from(conversations)
        .where(eq(conversations.ownerId, ownerId));
      const [m] = await t.db
        .select({ n: count() })
        .from(messages)
        .innerJoin(conversations, eq(messages.conversationId, conversations.id))
        .where(eq(conversations.ownerId, ownerId));
      return { conversations: c?.n ?? 0, messages: m?.n ?? 0 };
    }

    it("measures the totals query for an owner with 200 conversations of 50 messages", async () => {
      const ownerId = await seedOwner(200, 50);
      // Someone else's rows must not count, nor slow the query much.
      await seedOwner(50, 50);
      const totals = await storedTotals({ db: t.db, ownerId });
      expect(totals.conversations).toBe(200);
      expect(totals.messages).toBe(10_000);
      expect(totals.bytes).toBeGreaterThan(10_000 * 100);
      const quotas = { conversations: 5_000, messages: 100_000, bytes: 500_000_000 };
      const runs = await timed20(() => assertWithinQuotas({ db: t.db, ownerId, quotas }));
      // A chat turn's check within the headroom of that count: no query.
      const adding = { conversations: 0, messages: 2, bytes: 2_000 };
      const skipped = await timed20(() =>
        assertWithinQuotas({ db: t.db, ownerId, quotas, adding }),
      );
      console.log(
        `quota check (${t.backend}, 200 × 50 messages): count p50 ${runs[10]!.toFixed(1)} ms, max ${runs[19]!.toFixed(1)} ms; ` +
          `turn within headroom p50 ${skipped[10]!.toFixed(3)} ms`,
      );
      expect(skipped[10]!).toBeLessThan(runs[10]!);
    }, 120_000);

    it("refuses a turn over each quota with its code and stores nothing of it", async () => {
      const ownerId = uniqueId("owner");
      const id = uniqueId("c");
      await recordTurnChange({
        db: t.db,
        conversationId: id,
        ownerId,
        settings,
        create: { title: "First" },
        append: [message("one"), message("two", "assistant")],
      });
      const before = await ownerCounts(ownerId);
      const totals = await storedTotals({ db: t.db, ownerId });
      const cases: [Quotas, string, number][] = [
        [{ ...off, conversations: 1 }, "quota:conversations", 409],
        [{ ...off, messages: 2 }, "quota:messages", 409],
        [{ ...off, bytes: totals.bytes + 10 }, "quota:storage", 413],
      ];
      for (const [quotas, code, status] of cases) {
        const newConversation = code === "quota:conversations";
        const refused = await recordTurnChange({
          db: t.db,
          conversationId: newConversation ? uniqueId("c") : id,
          ownerId,
          settings,
          create: newConversation ? { title: "Second" } : undefined,
          append: [message("x".repeat(200)), message("", "assistant")],
          quotas,
        }).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(ThinkpaneError.is(refused), code).toBe(true);
        const error = refused as ThinkpaneError;
        expect(error.code).toBe(code);
        expect(error.status).toBe(status);
        expect(error.message).toMatch(/at most .* per person.*Delete some conversations/);
        expect(await ownerCounts(ownerId)).toEqual(before);
      }
      // Within the quotas (exactly at them counts as within), the same turn is stored.
      await recordTurnChange({
        db: t.db,
        conversationId: id,
        ownerId,
        settings,
        append: [message("three"), message("four", "assistant")],
        quotas: { conversations: 1, messages: 4, bytes: 0 },
      });
      // At the quota now: a recent count's headroom does not let the next turn skip the check.
      const atQuota = await recordTurnChange({
        db: t.db,
        conversationId: id,
        ownerId,
        settings,
        append: [message("five"), message("six", "assistant")],
        quotas: { conversations: 1, messages: 4, bytes: 0 },
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(ThinkpaneError.is(atQuota) && atQuota.code).toBe("quota:messages");
      const [stored] = await t.db
        .select({ n: count() })
        .from(messages)
        .where(and(eq(messages.conversationId, id)));
      expect(stored?.n).toBe(4);
    });
  });
});

/** Twenty runs of `run`, their times in ms, sorted. */
async function timed20(run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}
