import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Settings } from "@/lib/params";
import type { ThinkpaneUIMessage } from "@/lib/types";
import type { MessageStatus } from "./schema";
import { type Db, resolveDb } from "./client";
import { conversations, messages } from "./schema";
import type { NewMessage } from "./messages";
import { shownLeaf } from "./paths";
import { assertWithinQuotas, estimatedBytes, type Quotas } from "./quotas";

/**
 * What a turn changes in its conversation before the model answers, written in one transaction
 * (one commit, one flush), so that a chat turn costs one write before its first token:
 * - `create`: the conversation is new (its id must be free);
 * - `append`: the new messages, in order (the user's message, the answer's placeholder), each
 *   under the one before it and the first under `parentId` (null: a first message; undefined:
 *   the end of the path shown). Nothing is deleted: a regenerate or an edit adds a version (a
 *   sibling), and the last appended message becomes the end of the path shown.
 * - `edit`: an answer whose function calls got their results (a tool loop carries on in it:
 *   `status` streaming again);
 * The conversation's settings are the turn's, and it moves to the top of the list. A change
 * that leaves the owner over a storage quota (lib/db/quotas.ts) is rolled back and throws the
 * quota's coded error.
 */
export type TurnChange = {
  db?: Db;
  conversationId: string;
  ownerId: string;
  settings: Settings;
  create?: { title: string };
  parentId?: string | null;
  edit?: { id: string; parts: ThinkpaneUIMessage["parts"]; status?: MessageStatus };
  append: NewMessage[];
  /** The quotas to hold the owner to; the environment's by default. */
  quotas?: Quotas;
};

/**
 * Throws when the conversation is not the owner's (or, with `create`, when its id is taken),
 * or with a quota's ThinkpaneError.
 */
export async function recordTurnChange(change: TurnChange): Promise<void> {
  const { conversationId: id, ownerId, settings } = change;
  const activeLeafId = change.append.at(-1)?.id;
  await (
    await resolveDb(change.db)
  ).transaction(async (tx) => {
    // A caller that names no parent continues the path shown (read before the UPDATE moves it).
    const parentId =
      change.parentId !== undefined || change.create
        ? (change.parentId ?? null)
        : await shownLeaf(tx, id);
    if (change.create) {
      await tx
        .insert(conversations)
        .values({ id, ownerId, title: change.create.title, settings, activeLeafId });
    } else {
      // The UPDATE locks the conversation row until commit, so concurrent appends to one
      // conversation queue here and each one's next statement sees the seq the previous one took.
      const touched = await tx
        .update(conversations)
        .set({ settings, updatedAt: sql`now()`, ...(activeLeafId ? { activeLeafId } : {}) })
        .where(and(eq(conversations.id, id), eq(conversations.ownerId, ownerId)))
        .returning({ id: conversations.id });
      if (touched.length === 0) throw new Error(`Conversation ${id} is not the owner's`);
    }
    if (change.edit)
      await tx
        .update(messages)
        .set({
          parts: change.edit.parts,
          ...(change.edit.status ? { status: change.edit.status } : {}),
          updatedAt: sql`now()`,
        })
        .where(and(eq(messages.conversationId, id), eq(messages.id, change.edit.id)));
    if (change.append.length > 0) await appendInTransaction(tx, change, parentId);
    await assertWithinQuotas({
      db: tx,
      ownerId,
      quotas: change.quotas,
      adding: {
        conversations: change.create ? 1 : 0,
        messages: change.append.length,
        bytes: change.append.reduce((sum, m) => sum + estimatedBytes(m.parts, m.metadata), 0),
      },
    });
  });
}

/** The new messages after the conversation's last one (by seq), chained under `parentId`. */
async function appendInTransaction(
  tx: Db,
  change: TurnChange,
  parentId: string | null,
): Promise<void> {
  const id = change.conversationId;
  let seq = 0;
  if (!change.create) {
    const [last] = await tx
      .select({ seq: sql<number>`coalesce(max(${messages.seq}), 0)`.mapWith(Number) })
      .from(messages)
      .where(eq(messages.conversationId, id));
    seq = last?.seq ?? 0;
  }
  await tx.insert(messages).values(
    change.append.map((message, i) => ({
      id: message.id,
      conversationId: id,
      parentId: i === 0 ? parentId : change.append[i - 1]!.id,
      seq: ++seq,
      role: message.role,
      parts: message.parts,
      metadata: message.metadata ?? null,
      status: message.status ?? "done",
    })),
  );
}
