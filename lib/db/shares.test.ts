import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { createConversation, deleteConversation } from "@/lib/db/conversations";
import { type ShareSnapshot, shares } from "@/lib/db/schema";
import {
  createShare,
  getActiveShare,
  getActiveShareIdentity,
  listShares,
  revokeShare,
} from "@/lib/db/shares";
import { ThinkpaneError } from "@/lib/errors";
import { forEachBackend, uniqueId } from "@/lib/testing/db";

const settings = { model: "openai/gpt-oss-120b", params: {} };

const snapshot: ShareSnapshot = {
  title: "Shared",
  createdAt: "2025-01-01T00:00:00.000Z",
  messages: [
    { id: "m1", role: "user", parts: [{ type: "text", text: "hi" }], status: "done" },
    {
      id: "m2",
      role: "assistant",
      parts: [{ type: "text", text: "hello" }],
      metadata: { model: "m" },
      status: "done",
    },
  ],
};

async function shareFor(db: Db, expiresAt: Date | null = null) {
  const ownerId = uniqueId("owner");
  const { id } = await createConversation({ db, ownerId, title: "t", settings });
  const share = await createShare({
    db,
    conversationId: id,
    ownerId,
    snapshot,
    includeReasoning: false,
    includeSettings: true,
    expiresAt,
  });
  return { conversationId: id, ownerId, share };
}

describe("shares", () => {
  forEachBackend((t) => {
    it("creates a share with an unguessable URL-safe token", async () => {
      const { conversationId, ownerId, share } = await shareFor(t.db);
      expect(share).toMatchObject({
        conversationId,
        ownerId,
        snapshot,
        includeReasoning: false,
        includeSettings: true,
        expiresAt: null,
        revokedAt: null,
      });
      // 32 random bytes: 43 base64url characters, 256 bits.
      expect(share.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(share.token, "base64url")).toHaveLength(32);

      const more = await Promise.all(
        Array.from({ length: 20 }, () =>
          createShare({
            db: t.db,
            conversationId,
            ownerId,
            snapshot,
            includeReasoning: true,
            includeSettings: false,
            expiresAt: null,
          }),
        ),
      );
      const tokens = [share, ...more].map((s) => s.token);
      expect(new Set(tokens).size).toBe(tokens.length);
      // Not a counter or a timestamp: the tokens share no common prefix.
      expect(new Set(tokens.map((token) => token.slice(0, 4))).size).toBeGreaterThan(15);
    });

    it("reads an active share by token alone", async () => {
      const { share } = await shareFor(t.db, new Date(Date.now() + 60 * 60_000));
      expect(await getActiveShare({ db: t.db, token: share.token })).toEqual(share);
      expect(await getActiveShare({ db: t.db, token: `${share.token.slice(0, -1)}x` })).toBe(
        undefined,
      );
    });

    it("tells which snapshot an active link shows, and nothing once it is revoked or expired", async () => {
      const { ownerId, share } = await shareFor(t.db);
      expect(await getActiveShareIdentity({ db: t.db, token: share.token })).toEqual({
        createdAt: share.createdAt,
      });
      await revokeShare({ db: t.db, token: share.token, ownerId });
      expect(await getActiveShareIdentity({ db: t.db, token: share.token })).toBeUndefined();
      const expired = await shareFor(t.db, new Date(Date.now() - 60_000));
      expect(
        await getActiveShareIdentity({ db: t.db, token: expired.share.token }),
      ).toBeUndefined();
    });

    it("refuses to share someone else's conversation", async () => {
      const { conversationId } = await shareFor(t.db);
      const attempt = createShare({
        db: t.db,
        conversationId,
        ownerId: uniqueId("intruder"),
        snapshot,
        includeReasoning: true,
        includeSettings: true,
        expiresAt: null,
      });
      await expect(attempt).rejects.toSatisfy(
        (error) => ThinkpaneError.is(error) && error.code === "not_found",
      );
    });

    it("hides a share once revoked, and only its owner can revoke it", async () => {
      const { ownerId, share } = await shareFor(t.db);
      expect(await revokeShare({ db: t.db, token: share.token, ownerId: uniqueId("x") })).toBe(
        false,
      );
      expect(await getActiveShare({ db: t.db, token: share.token })).toBeDefined();

      expect(await revokeShare({ db: t.db, token: share.token, ownerId })).toBe(true);
      expect(await getActiveShare({ db: t.db, token: share.token })).toBeUndefined();
      const [revoked] = await listShares({
        db: t.db,
        conversationId: share.conversationId!,
        ownerId,
      });
      expect(revoked?.revokedAt).toBeInstanceOf(Date);

      // Revoking again succeeds and keeps the first time.
      expect(await revokeShare({ db: t.db, token: share.token, ownerId })).toBe(true);
      const [again] = await listShares({
        db: t.db,
        conversationId: share.conversationId!,
        ownerId,
      });
      expect(again?.revokedAt).toEqual(revoked?.revokedAt);
    });

    it("hides a share after it expires, by the database's clock", async () => {
      const { share } = await shareFor(t.db, new Date(Date.now() + 60 * 60_000));
      await t.db
        .update(shares)
        .set({ expiresAt: sql`now() - interval '1 second'` })
        .where(eq(shares.token, share.token));
      expect(await getActiveShare({ db: t.db, token: share.token })).toBeUndefined();

      await t.db
        .update(shares)
        .set({ expiresAt: sql`now() + interval '1 minute'` })
        .where(eq(shares.token, share.token));
      expect(await getActiveShare({ db: t.db, token: share.token })).toBeDefined();
    });

    it("lists a conversation's shares newest first, for its owner only", async () => {
      const { conversationId, ownerId, share: first } = await shareFor(t.db);
      const second = await createShare({
        db: t.db,
        conversationId,
        ownerId,
        snapshot,
        includeReasoning: true,
        includeSettings: false,
        expiresAt: null,
      });
      await t.db
        .update(shares)
        .set({ createdAt: new Date("2024-01-01T00:00:00Z") })
        .where(eq(shares.token, first.token));
      const unrelated = await shareFor(t.db);

      const listed = await listShares({ db: t.db, conversationId, ownerId });
      expect(listed.map((s) => s.token)).toEqual([second.token, first.token]);
      expect(await listShares({ db: t.db, conversationId, ownerId: unrelated.ownerId })).toEqual(
        [],
      );
    });

    it("goes with its conversation (cascade)", async () => {
      const { conversationId, ownerId, share } = await shareFor(t.db);
      expect(await deleteConversation({ db: t.db, id: conversationId, ownerId })).toBe(true);
      expect(await getActiveShare({ db: t.db, token: share.token })).toBeUndefined();
      expect(await t.db.select().from(shares).where(eq(shares.token, share.token))).toEqual([]);
    });
  });
});
