import "server-only";
import { and, eq, gte, lte, sql } from "drizzle-orm";
import type { ThinkpaneUIMessage, TurnMetadata } from "@/lib/types";
import { type Db, resolveDb } from "./client";
import { shownLeaf } from "./paths";
import {
  conversations,
  type MessageRole,
  type MessageRow,
  type MessageStatus,
  messages,
} from "./schema";

/*
 * Messages carry no owner of their own: they belong to a conversation, and callers reach them
 * through getConversation({ id, ownerId }) first. Times are the database's (now()), so that
 * instances with skewed clocks agree on what is stale.
 */

export type { MessageRow };

export type NewMessage = {
  id: string;
  /** appendMessages only: the message's parent (null for a first message); default, the one before. */
  parentId?: string | null;
  role: MessageRole;
  parts: ThinkpaneUIMessage["parts"];
  metadata?: TurnMetadata;
  status?: MessageStatus;
};

/**
 * Appends a message at the end of a conversation (seq = last + 1), under the end of the path
 * shown, which it becomes, and marks the conversation active. Throws when the conversation
 * does not exist.
 */
export async function appendMessage({
  db,
  conversationId,
  message,
}: {
  db?: Db;
  conversationId: string;
  message: NewMessage;
}): Promise<MessageRow> {
  return (await resolveDb(db)).transaction(async (tx) => {
    const parentId = await shownLeaf(tx, conversationId);
    // The UPDATE locks the conversation row until commit, so concurrent appends to one
    // conversation queue here and each one's next statement sees the seq the previous one took.
    const touched = await tx
      .update(conversations)
      .set({ updatedAt: sql`now()`, activeLeafId: message.id })
      .where(eq(conversations.id, conversationId))
      .returning({ id: conversations.id });
    if (touched.length === 0) throw new Error(`Conversation ${conversationId} does not exist`);
    const [last] = await tx
      .select({ seq: sql<number>`coalesce(max(${messages.seq}), 0)`.mapWith(Number) })
      .from(messages)
      .where(eq(messages.conversationId, conversationId));
    const [row] = await tx
      .insert(messages)
      .values({
        id: message.id,
        conversationId,
        parentId,
        seq: (last?.seq ?? 0) + 1,
        role: message.role,
        parts: message.parts,
        metadata: message.metadata ?? null,
        status: message.status ?? "done",
      })
      .returning();
    if (!row) throw new Error("INSERT … RETURNING gave no row");
    return row;
  });
}

/** Rows per INSERT in appendMessages: well under PostgreSQL's 65,535 parameters a statement. */
const APPEND_BATCH = 200;

/**
 * Appends messages in order after the conversation's last one (import and fork), each under its
 * `parentId` when it names one, else under the one before; the caller sets the path shown
 * (setActiveLeaf). Run it inside the caller's transaction, which created the conversation:
 * nobody else appends meanwhile. A parent must come before its children.
 */
export async function appendMessages({
  db,
  conversationId,
  messages: list,
}: {
  db?: Db;
  conversationId: string;
  messages: NewMessage[];
}): Promise<void> {
  const d = await resolveDb(db);
  const [last] = await d
    .select({ seq: sql<number>`coalesce(max(${messages.seq}), 0)`.mapWith(Number) })
    .from(messages)
    .where(eq(messages.conversationId, conversationId));
  let seq = last?.seq ?? 0;
  const parents = list.map((message, i) =>
    message.parentId !== undefined ? message.parentId : (list[i - 1]?.id ?? null),
  );
  for (let start = 0; start < list.length; start += APPEND_BATCH)
    await d.insert(messages).values(
      list.slice(start, start + APPEND_BATCH).map((message, i) => ({
        id: message.id,
        conversationId,
        parentId: parents[start + i] ?? null,
        seq: ++seq,
        role: message.role,
        parts: message.parts,
        metadata: message.metadata ?? null,
        status: message.status ?? "done",
      })),
    );
}

/**
 * Changes a message's parts, metadata or status. Always bumps its updatedAt, which is the
 * heartbeat of a streaming turn. False when the message is gone (e.g. the conversation was deleted).
 */
export async function updateMessage({
  db,
  conversationId,
  id,
  parts,
  metadata,
  status,
}: {
  db?: Db;
  conversationId: string;
  id: string;
  parts?: ThinkpaneUIMessage["parts"];
  metadata?: TurnMetadata;
  status?: MessageStatus;
}): Promise<boolean> {
  const rows = await (
    await resolveDb(db)
  )
    .update(messages)
    .set({ parts, metadata, status, updatedAt: sql`now()` })
    .where(and(eq(messages.conversationId, conversationId), eq(messages.id, id)))
    .returning({ id: messages.id });
  return rows.length > 0;
}

/** Deletes the messages at `seq` and after (regenerate, edit); returns how many went. */
export async function deleteMessagesFrom({
  db,
  conversationId,
  seq,
}: {
  db?: Db;
  conversationId: string;
  seq: number;
}): Promise<number> {
  const rows = await (
    await resolveDb(db)
  )
    .delete(messages)
    .where(and(eq(messages.conversationId, conversationId), gte(messages.seq, seq)))
    .returning({ id: messages.id });
  return rows.length;
}

/**
 * Turns "streaming" messages whose heartbeat is older than `staleAfterMs` into "interrupted":
 * their generation died with its process. Returns how many changed.
 */
export async function markInterrupted({
  db,
  conversationId,
  staleAfterMs,
}: {
  db?: Db;
  conversationId: string;
  staleAfterMs: number;
}): Promise<number> {
  const rows = await (
    await resolveDb(db)
  )
    .update(messages)
    .set({ status: "interrupted", updatedAt: sql`now()` })
    .where(
      and(
        eq(messages.conversationId, conversationId),
        eq(messages.status, "streaming"),
        // `<=`: with staleAfterMs 0 (the caller knows the generation is gone) a heartbeat in the
        // same millisecond still counts.
        lte(
          messages.updatedAt,
          sql`now() - ${Math.max(0, staleAfterMs)}::double precision * interval '1 millisecond'`,
        ),
      ),
    )
    .returning({ id: messages.id });
  return rows.length;
}
