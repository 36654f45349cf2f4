import "server-only";
import { and, eq } from "drizzle-orm";
import { activePath } from "@/lib/conversations/tree";
import { type Db, resolveDb } from "./client";
import { conversations, messages } from "./schema";

/*
 * The path shown of a conversation (lib/conversations/tree.ts): stored as its last message,
 * conversations.active_leaf_id. One column rather than a flag per message: choosing a version is
 * one UPDATE, and the path is the walk up parent ids from that leaf.
 */

/** The last message of the conversation's path shown; null when it has none. */
export async function shownLeaf(db: Db, conversationId: string): Promise<string | null> {
  const [conversation] = await db
    .select({ leaf: conversations.activeLeafId })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  const rows = await db
    .select({ id: messages.id, parentId: messages.parentId, seq: messages.seq })
    .from(messages)
    .where(eq(messages.conversationId, conversationId));
  return activePath(rows, conversation?.leaf ?? null).at(-1)?.id ?? null;
}

/**
 * Makes `leafId` the end of the owner's conversation's path shown. Does not count as activity
 * (the list's order stays). False when the conversation is not theirs.
 */
export async function setActiveLeaf({
  db,
  conversationId,
  ownerId,
  leafId,
}: {
  db?: Db;
  conversationId: string;
  ownerId: string;
  leafId: string | null;
}): Promise<boolean> {
  const rows = await (
    await resolveDb(db)
  )
    .update(conversations)
    .set({ activeLeafId: leafId })
    .where(and(eq(conversations.id, conversationId), eq(conversations.ownerId, ownerId)))
    .returning({ id: conversations.id });
  return rows.length > 0;
}
