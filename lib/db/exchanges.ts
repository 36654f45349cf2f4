import "server-only";
import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { type Exchange, withNextRequest } from "@/lib/inspect/exchange";
import { type Db, resolveDb } from "./client";
import { conversations, exchanges, messages, shares } from "./schema";

/*
 * Raw exchanges (Inspect), one per assistant message (a tool loop's requests in one value, see
 * lib/inspect/exchange.ts). Like messages they have no owner of their
 * own: reads go through the conversation's owner; writes come from the server's own turn.
 */

/**
 * Stores a turn's exchange (again replaces it). With `append` (a tool loop's next round), the
 * request joins the ones already stored for the message instead (withNextRequest keeps them in
 * order and within their bound). False when the message is gone (deleted meanwhile).
 */
export async function saveExchange({
  db,
  conversationId,
  messageId,
  exchange,
  append = false,
}: {
  db?: Db;
  conversationId: string;
  messageId: string;
  exchange: Exchange;
  append?: boolean;
}): Promise<boolean> {
  const d = await resolveDb(db);
  if (!append) return upsertExchange(d, { conversationId, messageId, exchange });
  return d.transaction(async (tx) => {
    // Locked until commit: two rounds of one message ending together still keep both.
    const [row] = await tx
      .select({ data: exchanges.data })
      .from(exchanges)
      .where(and(eq(exchanges.messageId, messageId), eq(exchanges.conversationId, conversationId)))
      .for("update");
    return upsertExchange(tx, {
      conversationId,
      messageId,
      exchange: withNextRequest(row?.data, exchange),
    });
  });
}

async function upsertExchange(
  d: Db,
  {
    conversationId,
    messageId,
    exchange,
  }: { conversationId: string; messageId: string; exchange: Exchange },
): Promise<boolean> {
  // INSERT … SELECT: a message deleted a moment ago (a regenerate) makes no row, and no error.
  const rows = await d.execute<{ message_id: string }>(sql`
    INSERT INTO ${exchanges} (message_id, conversation_id, data)
    SELECT ${messages.id}, ${messages.conversationId}, ${JSON.stringify(exchange)}::jsonb
    FROM ${messages}
    WHERE ${messages.id} = ${messageId} AND ${messages.conversationId} = ${conversationId}
    ON CONFLICT (message_id) DO UPDATE SET data = excluded.data
    RETURNING message_id`);
  return rows.rows.length > 0;
}

/** The exchange of a message in the owner's conversation; undefined otherwise. */
export async function getExchange({
  db,
  ownerId,
  conversationId,
  messageId,
}: {
  db?: Db;
  ownerId: string;
  conversationId: string;
  messageId: string;
}): Promise<Exchange | undefined> {
  const [row] = await (
    await resolveDb(db)
  )
    .select({ data: exchanges.data })
    .from(exchanges)
    .innerJoin(conversations, eq(conversations.id, exchanges.conversationId))
    .where(
      and(
        eq(exchanges.messageId, messageId),
        eq(exchanges.conversationId, conversationId),
        eq(conversations.ownerId, ownerId),
      ),
    );
  return row?.data;
}

/**
 * The exchanges of a conversation by message id. The caller has checked ownership (they are
 * read for an export or a share of a conversation already loaded for its owner).
 */
export async function listExchanges({
  db,
  conversationId,
  messageIds,
}: {
  db?: Db;
  conversationId: string;
  messageIds?: string[];
}): Promise<Map<string, Exchange>> {
  if (messageIds?.length === 0) return new Map();
  const rows = await (
    await resolveDb(db)
  )
    .select({ messageId: exchanges.messageId, data: exchanges.data })
    .from(exchanges)
    .where(
      and(
        eq(exchanges.conversationId, conversationId),
        messageIds ? inArray(exchanges.messageId, messageIds) : undefined,
      ),
    );
  return new Map(rows.map((row) => [row.messageId, row.data]));
}

/**
 * The exchange of a message in a shared snapshot, when the link is active and its owner chose
 * to include raw exchanges; undefined otherwise.
 */
export async function getSharedExchange({
  db,
  token,
  messageId,
}: {
  db?: Db;
  token: string;
  messageId: string;
}): Promise<Exchange | undefined> {
  const [row] = await (
    await resolveDb(db)
  )
    .select({ data: sql<Exchange | null>`${shares.exchanges} -> ${messageId}` })
    .from(shares)
    .where(
      and(
        eq(shares.token, token),
        eq(shares.includeExchange, true),
        isNull(shares.revokedAt),
        or(isNull(shares.expiresAt), gt(shares.expiresAt, sql`now()`)),
      ),
    );
  return row?.data ?? undefined;
}
