import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, ilike, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { log } from "@/lib/log";
import type { Settings } from "@/lib/params";
import { readTurnMetadata } from "@/lib/types";
import { type Db, resolveDb } from "./client";
import { type ConversationRow, conversations, type MessageRow, messages } from "./schema";

export type { ConversationRow, MessageRow };
export type ConversationWithMessages = ConversationRow & { messages: MessageRow[] };

const TITLE_MAX = 80;
const LIST_LIMIT_DEFAULT = 50;
const LIST_LIMIT_MAX = 500;

/** A title from the first user message: its first line, whitespace collapsed, at most 80 characters. */
export function titleFromText(text: string): string {
  const firstLine = text.trim().split(/\r?\n|\r/, 1)[0] ?? "";
  const collapsed = firstLine.replace(/\s+/g, " ").trim();
  if (collapsed === "") return "New conversation";
  // By code points, so that an emoji is never cut in half.
  const chars = Array.from(collapsed);
  if (chars.length <= TITLE_MAX) return collapsed;
  return `${chars
    .slice(0, TITLE_MAX - 1)
    .join("")
    .trimEnd()}…`;
}

/** Escapes LIKE's wildcards so that a search for "50%" or "a_b" matches those characters. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Creates a conversation; throws if the id is taken (by anyone). */
export async function createConversation({
  db,
  ownerId,
  title,
  settings,
  id = randomUUID(),
}: {
  db?: Db;
  ownerId: string;
  title: string;
  settings: Settings;
  id?: string;
}): Promise<ConversationRow> {
  const [row] = await (
    await resolveDb(db)
  )
    .insert(conversations)
    .values({ id, ownerId, title, settings })
    .returning();
  if (!row) throw new Error("INSERT … RETURNING gave no row");
  return row;
}

/** A conversation with its messages in order, or undefined when it does not exist or is not the owner's. */
export async function getConversation(input: {
  db?: Db;
  id: string;
  ownerId: string;
}): Promise<ConversationWithMessages | undefined> {
  const found = await getConversationOrTaken(input);
  return found === "taken" ? undefined : found;
}

/**
 * A conversation with its messages when it is the owner's; "taken" when its id belongs to
 * someone else, undefined when the id is free. For a turn, which may create the conversation.
 */
export async function getConversationOrTaken({
  db,
  id,
  ownerId,
}: {
  db?: Db;
  id: string;
  ownerId: string;
}): Promise<ConversationWithMessages | "taken" | undefined> {
  const conn = await resolveDb(db);
  const [conversation] = await conn.select().from(conversations).where(eq(conversations.id, id));
  if (!conversation) return undefined;
  if (conversation.ownerId !== ownerId) return "taken";
  const rows = await conn
    .select()
    .from(messages)
    .where(eq(messages.conversationId, id))
    .orderBy(asc(messages.seq));
  return { ...conversation, messages: rows.map(withValidMetadata) };
}

/**
 * A message as stored, its metadata held to the live turns' schema: metadata written before
 * imports were checked cannot reach the conversation page or a share in a shape they do not
 * expect. Fields that do not fit are left out, and logged.
 */
function withValidMetadata(row: MessageRow): MessageRow {
  if (row.metadata === null) return row;
  const { metadata, dropped } = readTurnMetadata(row.metadata);
  if (dropped.length > 0)
    log.warn("messages.invalid_metadata", { messageId: row.id, dropped: dropped.join(",") });
  return { ...row, metadata: metadata ?? null };
}

/** The owner's conversations, most recently active first; `query` matches titles case-insensitively. */
export async function listConversations({
  db,
  ownerId,
  query,
  limit = LIST_LIMIT_DEFAULT,
}: {
  db?: Db;
  ownerId: string;
  query?: string;
  limit?: number;
}): Promise<ConversationRow[]> {
  const search = query?.trim();
  return (await resolveDb(db))
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.ownerId, ownerId),
        search ? ilike(conversations.title, likeContains(search)) : undefined,
      ),
    )
    .orderBy(desc(conversations.updatedAt), desc(conversations.id))
    .limit(Math.min(Math.max(1, Math.floor(limit)), LIST_LIMIT_MAX));
}

/** Updates the owner's conversation; false when it is not theirs. */
async function updateOwned(
  db: Db | undefined,
  { id, ownerId }: { id: string; ownerId: string },
  values: PgUpdateSetSource<typeof conversations>,
): Promise<boolean> {
  const rows = await (
    await resolveDb(db)
  )
    .update(conversations)
    .set(values)
    .where(and(eq(conversations.id, id), eq(conversations.ownerId, ownerId)))
    .returning({ id: conversations.id });
  return rows.length > 0;
}

/** Renames the owner's conversation; false when it is not theirs. Does not count as activity. */
export async function renameConversation({
  db,
  title,
  ...owned
}: {
  db?: Db;
  id: string;
  ownerId: string;
  title: string;
}): Promise<boolean> {
  return updateOwned(db, owned, { title });
}

/** Deletes the owner's conversation with its messages and shares (cascade); false when not theirs. */
export async function deleteConversation({
  db,
  id,
  ownerId,
}: {
  db?: Db;
  id: string;
  ownerId: string;
}): Promise<boolean> {
  const rows = await (
    await resolveDb(db)
  )
    .delete(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.ownerId, ownerId)))
    .returning({ id: conversations.id });
  return rows.length > 0;
}

/** Stores the settings last used in the owner's conversation; false when not theirs. */
export async function updateConversationSettings({
  db,
  settings,
  ...owned
}: {
  db?: Db;
  id: string;
  ownerId: string;
  settings: Settings;
}): Promise<boolean> {
  return updateOwned(db, owned, { settings });
}

/** Marks the owner's conversation as active now (moves it to the top of the list); false when not theirs. */
export async function touchConversation({
  db,
  ...owned
}: {
  db?: Db;
  id: string;
  ownerId: string;
}): Promise<boolean> {
  return updateOwned(db, owned, { updatedAt: sql`now()` });
}
