import "server-only";
import { sql } from "drizzle-orm";
import { env } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";
import { type Db, resolveDb } from "./client";
import { conversations, exchanges, messages, shares } from "./schema";

/**
 * Per-owner quotas on stored data: conversations, messages, and bytes as stored. Counted, not
 * kept in a counter (no migration, nothing to drift): the conversations come from the
 * (owner_id, updated_at) index, and their messages, exchanges and shares through the
 * conversation-id indexes. Bytes are pg_column_size, the stored (compressed) size, which reads
 * no value out of TOAST.
 *
 * Writers call assertWithinQuotas inside their transaction after writing: a write that would
 * cross a quota is rolled back whole, and writers racing each other see each other's rows.
 */

export type StoredTotals = { conversations: number; messages: number; bytes: number };

/** Each quota; 0 turns it off. */
export type Quotas = StoredTotals;

export function quotasFromEnv(): Quotas {
  const e = env();
  return {
    conversations: e.MAX_CONVERSATIONS_PER_OWNER,
    messages: e.MAX_MESSAGES_PER_OWNER,
    bytes: e.MAX_STORED_BYTES_PER_OWNER,
  };
}

export async function storedTotals({
  db,
  ownerId,
}: {
  db?: Db;
  ownerId: string;
}): Promise<StoredTotals> {
  const result = await (
    await resolveDb(db)
  ).execute<{
    conversations: string | number;
    messages: string | number;
    bytes: string | number;
  }>(sql`
    WITH owned AS (
      SELECT ${conversations.id} AS id FROM ${conversations} WHERE ${conversations.ownerId} = ${ownerId}
    ),
    message_totals AS (
      SELECT count(*) AS n,
        coalesce(sum(pg_column_size(m.parts) + coalesce(pg_column_size(m.metadata), 0)), 0) AS bytes
      FROM ${messages} m JOIN owned ON m.conversation_id = owned.id
    ),
    exchange_bytes AS (
      SELECT coalesce(sum(pg_column_size(e.data)), 0) AS bytes
      FROM ${exchanges} e JOIN owned ON e.conversation_id = owned.id
    ),
    share_bytes AS (
      SELECT coalesce(sum(pg_column_size(s.snapshot) + coalesce(pg_column_size(s.exchanges), 0)), 0) AS bytes
      FROM ${shares} s JOIN owned ON s.conversation_id = owned.id
    )
    SELECT (SELECT count(*) FROM owned) AS conversations,
      message_totals.n AS messages,
      message_totals.bytes + exchange_bytes.bytes + share_bytes.bytes AS bytes
    FROM message_totals, exchange_bytes, share_bytes`);
  const row = result.rows[0];
  return {
    conversations: Number(row?.conversations ?? 0),
    messages: Number(row?.messages ?? 0),
    bytes: Number(row?.bytes ?? 0),
  };
}

const count = (n: number) => n.toLocaleString("en-US");

function megabytes(bytes: number): string {
  return `${count(Math.round(bytes / 1_000_000))} MB`;
}

/** The first quota the totals exceed, as the coded error to answer with. */
export function quotaError(totals: StoredTotals, quotas: Quotas): ThinkpaneError | undefined {
  if (quotas.conversations > 0 && totals.conversations > quotas.conversations)
    return new ThinkpaneError("quota:conversations", {
      message: `This server keeps at most ${count(quotas.conversations)} conversations per person, and this would make more. Delete some conversations to make room.`,
      details: { limit: `${count(quotas.conversations)} conversations per person` },
    });
  if (quotas.messages > 0 && totals.messages > quotas.messages)
    return new ThinkpaneError("quota:messages", {
      message: `This server keeps at most ${count(quotas.messages)} messages per person, and this would make more. Delete some conversations to make room.`,
      details: { limit: `${count(quotas.messages)} messages per person` },
    });
  if (quotas.bytes > 0 && totals.bytes > quotas.bytes)
    return new ThinkpaneError("quota:storage", {
      message: `This server keeps at most ${megabytes(quotas.bytes)} of conversations per person, and this would store more. Delete some conversations (or their share links) to make room.`,
      details: { limit: `${megabytes(quotas.bytes)} stored per person` },
    });
  return undefined;
}

/**
 * What the last full count left free for an owner, in this process, and under which quotas.
 * A chat turn adds a message or two: while its estimate fits well inside this headroom, the
 * turn skips the count (16 ms at p50 on PGlite for an owner with 10,000 messages, measured in
 * quotas.test.ts), and the headroom shrinks by the estimate. Deleting only frees room, so the
 * estimate errs on the safe side; other instances' writes are not seen, hence the short life.
 */
const headroom = new Map<string, { at: number; quotas: Quotas; left: StoredTotals }>();
const HEADROOM_TTL_MS = 60_000;
/** Never skip the count within this share of a quota (headroom from other instances' writes). */
const MARGIN = 0.1;
const HEADROOM_OWNERS = 10_000;

const sameQuotas = (a: Quotas, b: Quotas) =>
  a.conversations === b.conversations && a.messages === b.messages && a.bytes === b.bytes;

const keys = ["conversations", "messages", "bytes"] as const;

function fitsInHeadroom(ownerId: string, quotas: Quotas, adding: StoredTotals): boolean {
  const entry = headroom.get(ownerId);
  if (!entry || Date.now() - entry.at > HEADROOM_TTL_MS || !sameQuotas(entry.quotas, quotas))
    return false;
  for (const key of keys)
    if (quotas[key] > 0 && entry.left[key] - adding[key] < quotas[key] * MARGIN) return false;
  for (const key of keys) entry.left[key] -= adding[key];
  return true;
}

function rememberHeadroom(ownerId: string, quotas: Quotas, totals: StoredTotals): void {
  if (headroom.size >= HEADROOM_OWNERS && !headroom.has(ownerId)) {
    const oldest = headroom.keys().next();
    if (!oldest.done) headroom.delete(oldest.value);
  }
  headroom.set(ownerId, {
    at: Date.now(),
    quotas,
    left: {
      conversations: quotas.conversations - totals.conversations,
      messages: quotas.messages - totals.messages,
      bytes: quotas.bytes - totals.bytes,
    },
  });
}

/**
 * A generous estimate of what storing `values` (JSON) takes: twice the text, where the stored
 * jsonb of text-heavy parts is about the text or less once compressed.
 */
export function estimatedBytes(...values: unknown[]): number {
  let total = 0;
  for (const value of values)
    if (value !== undefined) total += 2 * Buffer.byteLength(JSON.stringify(value) ?? "");
  return total;
}

/**
 * Throws the quota error when the owner's stored data (including what the caller's transaction
 * wrote so far) is over a quota. Call with the transaction, after writing, so a refusal rolls
 * the write back. With `adding` (a generous estimate of what the write added), a write that
 * fits well inside the headroom of a recent count skips counting again.
 */
export async function assertWithinQuotas({
  db,
  ownerId,
  quotas = quotasFromEnv(),
  adding,
}: {
  db?: Db;
  ownerId: string;
  quotas?: Quotas;
  adding?: StoredTotals;
}): Promise<void> {
  if (quotas.conversations <= 0 && quotas.messages <= 0 && quotas.bytes <= 0) return;
  if (adding && fitsInHeadroom(ownerId, quotas, adding)) return;
  const totals = await storedTotals({ db, ownerId });
  const error = quotaError(totals, quotas);
  if (error) {
    headroom.delete(ownerId);
    throw error;
  }
  // Counted inside the caller's transaction: if it rolls back, the real headroom is larger.
  rememberHeadroom(ownerId, quotas, totals);
}
