import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { createConversation, deleteConversation, getConversation } from "@/lib/db/conversations";
import {
  appendMessage,
  deleteMessagesFrom,
  markInterrupted,
  updateMessage,
} from "@/lib/db/messages";
import { conversations, messages } from "@/lib/db/schema";
import { forEachBackend, uniqueId } from "@/lib/testing/db";

const settings = { model: "openai/gpt-oss-120b", params: {} };

async function newConversation(db: Db) {
  const ownerId = uniqueId("owner");
  const { id } = await createConversation({ db, ownerId, title: "t", settings });
  return { id, ownerId };
}

async function messageRow(db: Db, id: string) {
  const [row] = await db.select().from(messages).where(eq(messages.id, id));
  return row;
}

/** Moves a row's heartbeat into the past, by the database's clock. */
async function ageMessage(db: Db, id: string, ms: number) {
  await db
    .update(messages)
    .set({ updatedAt: sql`now() - ${ms}::double precision * interval '1 millisecond'` })
    .where(eq(messages.id, id));
}

describe("messages", () => {
  forEachBackend((t) => {
    it("appends with increasing seq and bumps the conversation", async () => {
      const { id, ownerId } = await newConversation(t.db);
      await t.db
        .update(conversations)
        .set({ updatedAt: new Date("2020-01-01T00:00:00Z") })
        .where(eq(conversations.id, id));

      const first = await appendMessage({
        db: t.db,
        conversationId: id,
        message: { id: uniqueId("m"), role: "user", parts: [{ type: "text", text: "hi" }] },
      });
      const second = await appendMessage({
        db: t.db,
        conversationId: id,
        message: {
          id: uniqueId("m"),
          role: "assistant",
          parts: [],
          metadata: { model: "m", status: "streaming" },
          status: "streaming",
        },
      });

      expect(first).toMatchObject({ conversationId: id, seq: 1, status: "done", metadata: null });
      expect(second).toMatchObject({ seq: 2, status: "streaming", metadata: { model: "m" } });
      const conversation = await getConversation({ db: t.db, id, ownerId });
      expect(conversation?.updatedAt.getTime()).toBeGreaterThan(Date.parse("2024-01-01"));
    });

    it("gives concurrent appends distinct, gapless seqs", async () => {
      const { id, ownerId } = await newConversation(t.db);
      const rows = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          appendMessage({
            db: t.db,
            conversationId: id,
            message: {
              id: uniqueId(`m${i}`),
              role: "user",
              parts: [{ type: "text", text: `${i}` }],
            },
          }),
        ),
      );
      expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const stored = await getConversation({ db: t.db, id, ownerId });
      expect(stored?.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(new Set(stored?.messages.map((m) => m.id)).size).toBe(10);
    });

    it("numbers each conversation on its own, also when appending to several at once", async () => {
      const a = await newConversation(t.db);
      const b = await newConversation(t.db);
      const rows = await Promise.all(
        [a, b, a, b, a].map(({ id }) =>
          appendMessage({
            db: t.db,
            conversationId: id,
            message: { id: uniqueId("m"), role: "user", parts: [] },
          }),
        ),
      );
      const seqs = (conversationId: string) =>
        rows
          .filter((r) => r.conversationId === conversationId)
          .map((r) => r.seq)
          .sort();
      expect(seqs(a.id)).toEqual([1, 2, 3]);
      expect(seqs(b.id)).toEqual([1, 2]);
    });

    it("refuses to append to a conversation that does not exist", async () => {
      await expect(
        appendMessage({
          db: t.db,
          conversationId: uniqueId("missing"),
          message: { id: uniqueId("m"), role: "user", parts: [] },
        }),
      ).rejects.toThrow(/does not exist/);
    });

    it("updates parts, metadata and status, and bumps updatedAt as a heartbeat", async () => {
      const { id } = await newConversation(t.db);
      const message = await appendMessage({
        db: t.db,
        conversationId: id,
        message: { id: uniqueId("m"), role: "assistant", parts: [], status: "streaming" },
      });
      await ageMessage(t.db, message.id, 60_000);
      const aged = await messageRow(t.db, message.id);

      expect(
        await updateMessage({
          db: t.db,
          conversationId: id,
          id: message.id,
          parts: [{ type: "text", text: "partial" }],
        }),
      ).toBe(true);
      const beat = await messageRow(t.db, message.id);
      expect(beat).toMatchObject({
        parts: [{ type: "text", text: "partial" }],
        status: "streaming",
      });
      expect(beat!.updatedAt.getTime()).toBeGreaterThan(aged!.updatedAt.getTime() + 30_000);

      await updateMessage({
        db: t.db,
        conversationId: id,
        id: message.id,
        metadata: { totalMs: 5 },
        status: "done",
      });
      expect(await messageRow(t.db, message.id)).toMatchObject({
        parts: [{ type: "text", text: "partial" }],
        metadata: { totalMs: 5 },
        status: "done",
      });
    });

    it("updates only a message of the given conversation", async () => {
      const a = await newConversation(t.db);
      const b = await newConversation(t.db);
      const message = await appendMessage({
        db: t.db,
        conversationId: a.id,
        message: { id: uniqueId("m"), role: "user", parts: [] },
      });
      expect(
        await updateMessage({ db: t.db, conversationId: b.id, id: message.id, status: "error" }),
      ).toBe(false);
      expect(await messageRow(t.db, message.id)).toMatchObject({ status: "done" });
    });

    it("deletes from a seq on, and appending continues after what is left", async () => {
      const { id, ownerId } = await newConversation(t.db);
      for (let i = 0; i < 5; i++) {
        await appendMessage({
          db: t.db,
          conversationId: id,
          message: { id: uniqueId("m"), role: i % 2 ? "assistant" : "user", parts: [] },
        });
      }
      const other = await newConversation(t.db);
      await appendMessage({
        db: t.db,
        conversationId: other.id,
        message: { id: uniqueId("m"), role: "user", parts: [] },
      });

      expect(await deleteMessagesFrom({ db: t.db, conversationId: id, seq: 3 })).toBe(3);
      expect(await deleteMessagesFrom({ db: t.db, conversationId: id, seq: 3 })).toBe(0);
      const next = await appendMessage({
        db: t.db,
        conversationId: id,
        message: { id: uniqueId("m"), role: "assistant", parts: [] },
      });
      expect(next.seq).toBe(3);
      const left = await getConversation({ db: t.db, id, ownerId });
      expect(left?.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      const untouched = await getConversation({ db: t.db, id: other.id, ownerId: other.ownerId });
      expect(untouched?.messages).toHaveLength(1);
    });

    it("marks only stale streaming messages of the conversation as interrupted", async () => {
      const { id, ownerId } = await newConversation(t.db);
      const other = await newConversation(t.db);
      const add = async (conversationId: string, status: "streaming" | "done") =>
        (
          await appendMessage({
            db: t.db,
            conversationId,
            message: { id: uniqueId(status), role: "assistant", parts: [], status },
          })
        ).id;
      const stale = await add(id, "streaming");
      const fresh = await add(id, "streaming");
      const oldDone = await add(id, "done");
      const elsewhere = await add(other.id, "streaming");
      for (const message of [stale, oldDone, elsewhere]) await ageMessage(t.db, message, 120_000);

      expect(await markInterrupted({ db: t.db, conversationId: id, staleAfterMs: 60_000 })).toBe(1);
      expect(await markInterrupted({ db: t.db, conversationId: id, staleAfterMs: 60_000 })).toBe(0);

      const statuses = Object.fromEntries(
        (await getConversation({ db: t.db, id, ownerId }))!.messages.map((m) => [m.id, m.status]),
      );
      expect(statuses).toEqual({ [stale]: "interrupted", [fresh]: "streaming", [oldDone]: "done" });
      expect(await messageRow(t.db, elsewhere)).toMatchObject({ status: "streaming" });
    });

    it("goes with its conversation (cascade)", async () => {
      const { id, ownerId } = await newConversation(t.db);
      const message = await appendMessage({
        db: t.db,
        conversationId: id,
        message: { id: uniqueId("m"), role: "user", parts: [] },
      });
      expect(await deleteConversation({ db: t.db, id, ownerId })).toBe(true);
      expect(await messageRow(t.db, message.id)).toBeUndefined();
      expect(await updateMessage({ db: t.db, conversationId: id, id: message.id })).toBe(false);
    });
  });
});
