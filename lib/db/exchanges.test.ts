import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { createConversation } from "@/lib/db/conversations";
import { getExchange, getSharedExchange, listExchanges, saveExchange } from "@/lib/db/exchanges";
import { appendMessage, deleteMessagesFrom } from "@/lib/db/messages";
import { createShare, revokeShare } from "@/lib/db/shares";
import { type Exchange, requestsOf } from "@/lib/inspect/exchange";
import { forEachBackend, uniqueId } from "@/lib/testing/db";

const settings = { model: "openai/gpt-oss-120b", params: {} };

const exchange = (text: string): Exchange => ({
  version: 1,
  provider: { id: "aimlapi", label: "AI/ML API" },
  model: { id: "openai/gpt-oss-120b", upstreamId: "openai/gpt-oss-120b" },
  startedAt: "2026-01-01T00:00:00.000Z",
  request: { body: { model: "openai/gpt-oss-120b", messages: [] } },
  attempts: [{ atMs: 0, waitMs: 0, status: 200 }],
  lines: [[3, `data: {"choices":[{"delta":{"content":"${text}"}}]}`]],
});

async function turn(db: Db) {
  const ownerId = uniqueId("owner");
  const { id } = await createConversation({ db, ownerId, title: "t", settings });
  const messageId = uniqueId("a");
  await appendMessage({
    db,
    conversationId: id,
    message: { id: uniqueId("u"), role: "user", parts: [{ type: "text", text: "hi" }] },
  });
  await appendMessage({
    db,
    conversationId: id,
    message: { id: messageId, role: "assistant", parts: [] },
  });
  return { ownerId, conversationId: id, messageId };
}

describe("exchanges", () => {
  forEachBackend((t) => {
    it("are saved per message, replaced when saved again, and read by the owner only", async () => {
      const { ownerId, conversationId, messageId } = await turn(t.db);
      expect(
        await saveExchange({ db: t.db, conversationId, messageId, exchange: exchange("a") }),
      ).toBe(true);
      expect(
        await saveExchange({ db: t.db, conversationId, messageId, exchange: exchange("b") }),
      ).toBe(true);
      expect(await getExchange({ db: t.db, ownerId, conversationId, messageId })).toEqual(
        exchange("b"),
      );
      expect(
        await getExchange({ db: t.db, ownerId: "someone-else", conversationId, messageId }),
      ).toBeUndefined();
      expect((await listExchanges({ db: t.db, conversationId })).get(messageId)).toEqual(
        exchange("b"),
      );
    });

    it("keep every request of a tool loop when appended, in order, the last on top", async () => {
      const { ownerId, conversationId, messageId } = await turn(t.db);
      // The first round appends to nothing: it is stored as a single request.
      expect(
        await saveExchange({
          db: t.db,
          conversationId,
          messageId,
          exchange: exchange("a"),
          append: true,
        }),
      ).toBe(true);
      for (const text of ["b", "c"])
        await saveExchange({
          db: t.db,
          conversationId,
          messageId,
          exchange: exchange(text),
          append: true,
        });
      const stored = await getExchange({ db: t.db, ownerId, conversationId, messageId });
      expect(stored).toEqual({ ...exchange("c"), earlier: [exchange("a"), exchange("b")] });
      expect(requestsOf(stored!)).toEqual([exchange("a"), exchange("b"), exchange("c")]);
      // A share freezes them all under the message's id.
      expect((await listExchanges({ db: t.db, conversationId })).get(messageId)).toEqual(stored);
      // A new answer (not appended) starts over.
      await saveExchange({ db: t.db, conversationId, messageId, exchange: exchange("d") });
      expect(await getExchange({ db: t.db, ownerId, conversationId, messageId })).toEqual(
        exchange("d"),
      );
      expect(
        await saveExchange({
          db: t.db,
          conversationId,
          messageId: "gone",
          exchange: exchange("x"),
          append: true,
        }),
      ).toBe(false);
    });

    it("are not saved for a message that is gone, and go with their message", async () => {
      const { ownerId, conversationId, messageId } = await turn(t.db);
      expect(
        await saveExchange({
          db: t.db,
          conversationId,
          messageId: "gone",
          exchange: exchange("x"),
        }),
      ).toBe(false);
      await saveExchange({ db: t.db, conversationId, messageId, exchange: exchange("a") });
      await deleteMessagesFrom({ db: t.db, conversationId, seq: 2 });
      expect(await getExchange({ db: t.db, ownerId, conversationId, messageId })).toBeUndefined();
    });

    it("are served by a share only when included, and not once it is revoked", async () => {
      const { ownerId, conversationId, messageId } = await turn(t.db);
      const snapshot = { title: "t", createdAt: new Date().toISOString(), messages: [] };
      const base = {
        db: t.db,
        conversationId,
        ownerId,
        snapshot,
        includeReasoning: true,
        includeSettings: true,
        expiresAt: null,
      };
      const plain = await createShare(base);
      const included = await createShare({ ...base, exchanges: { [messageId]: exchange("s") } });
      expect(plain.includeExchange).toBe(false);
      expect(await getSharedExchange({ db: t.db, token: plain.token, messageId })).toBeUndefined();
      expect(await getSharedExchange({ db: t.db, token: included.token, messageId })).toEqual(
        exchange("s"),
      );
      expect(
        await getSharedExchange({ db: t.db, token: included.token, messageId: "other" }),
      ).toBeUndefined();
      await revokeShare({ db: t.db, token: included.token, ownerId });
      expect(
        await getSharedExchange({ db: t.db, token: included.token, messageId }),
      ).toBeUndefined();
    });
  });
});
