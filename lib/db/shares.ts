import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, getTableColumns, gt, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Exchange } from "@/lib/inspect/exchange";
import { ThinkpaneError } from "@/lib/errors";
import { type Db, resolveDb } from "./client";
import {
  comparisons,
  conversations,
  type ShareRow as FullShareRow,
  type ShareSnapshot,
  shares,
} from "./schema";

export type { ShareSnapshot };

/** A share as read: its frozen raw exchanges stay in the database (they are served one by one). */
export type ShareRow = Omit<FullShareRow, "exchanges">;

const { exchanges: _exchanges, ...shareColumns } = getTableColumns(shares);

/** 256 random bits, URL-safe: unguessable, so the link itself is the capability. */
function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Creates a share link for the owner's conversation. Throws ThinkpaneError("not_found") when
 * the conversation is not theirs.
 */
export async function createShare({
  db,
  conversationId,
  ownerId,
  snapshot,
  includeReasoning,
  includeSettings,
  exchanges,
  expiresAt,
}: {
  db?: Db;
  conversationId: string;
  ownerId: string;
  snapshot: ShareSnapshot;
  includeReasoning: boolean;
  includeSettings: boolean;
  /** The snapshot's raw exchanges by message id, when the owner chose to include them. */
  exchanges?: Record<string, Exchange>;
  expiresAt: Date | null;
}): Promise<ShareRow> {
  return (await resolveDb(db)).transaction(async (tx) => {
    // FOR SHARE keeps the conversation from being deleted between the check and the insert.
    const [owned] = await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.id, conversationId), eq(conversations.ownerId, ownerId)))
      .for("share");
    if (!owned) throw new ThinkpaneError("not_found");
    const [row] = await tx
      .insert(shares)
      .values({
        token: newToken(),
        conversationId,
        ownerId,
        snapshot,
        includeReasoning,
        includeSettings,
        includeExchange: exchanges !== undefined,
        exchanges: exchanges ?? null,
        expiresAt,
      })
      .returning(shareColumns);
    if (!row) throw new Error("INSERT … RETURNING gave no row");
    return row;
  });
}

/** The owner's share links of a conversation, revoked and expired ones included, newest first. */
export async function listShares({
  db,
  conversationId,
  ownerId,
}: {
  db?: Db;
  conversationId: string;
  ownerId: string;
}): Promise<ShareRow[]> {
  return sharesWhere(
    db,
    and(eq(shares.conversationId, conversationId), eq(shares.ownerId, ownerId)),
  );
}

/** Share links that match `where`, newest first. */
async function sharesWhere(db: Db | undefined, where: SQL | undefined): Promise<ShareRow[]> {
  return (await resolveDb(db))
    .select(shareColumns)
    .from(shares)
    .where(where)
    .orderBy(desc(shares.createdAt), desc(shares.token));
}

/** Creates a share link for the owner's comparison; not_found when it is not theirs. */
export async function createComparisonShare({
  db,
  comparisonId,
  ownerId,
  snapshot,
  includeReasoning,
  includeSettings,
  expiresAt,
}: {
  db?: Db;
  comparisonId: string;
  ownerId: string;
  snapshot: ShareSnapshot;
  includeReasoning: boolean;
  includeSettings: boolean;
  expiresAt: Date | null;
}): Promise<ShareRow> {
  return (await resolveDb(db)).transaction(async (tx) => {
    const [owned] = await tx
      .select({ id: comparisons.id })
      .from(comparisons)
      .where(and(eq(comparisons.id, comparisonId), eq(comparisons.ownerId, ownerId)))
      .for("share");
    if (!owned) throw new ThinkpaneError("not_found");
    const [row] = await tx
      .insert(shares)
      .values({
        token: newToken(),
        comparisonId,
        ownerId,
        snapshot,
        includeReasoning,
        includeSettings,
        expiresAt,
      })
      .returning(shareColumns);
    if (!row) throw new Error("INSERT … RETURNING gave no row");
    return row;
  });
}

/** The owner's share links of a comparison, newest first. */
export async function listComparisonShares({
  db,
  comparisonId,
  ownerId,
}: {
  db?: Db;
  comparisonId: string;
  ownerId: string;
}): Promise<ShareRow[]> {
  return sharesWhere(db, and(eq(shares.comparisonId, comparisonId), eq(shares.ownerId, ownerId)));
}

/** Revokes the owner's share link (again is fine: the first time is kept); false when not theirs. */
export async function revokeShare({
  db,
  token,
  ownerId,
}: {
  db?: Db;
  token: string;
  ownerId: string;
}): Promise<boolean> {
  const rows = await (
    await resolveDb(db)
  )
    .update(shares)
    .set({ revokedAt: sql`coalesce(${shares.revokedAt}, now())` })
    .where(and(eq(shares.token, token), eq(shares.ownerId, ownerId)))
    .returning({ token: shares.token });
  return rows.length > 0;
}

/** Neither revoked nor expired, by the database's clock. */
const isActive = () =>
  and(isNull(shares.revokedAt), or(isNull(shares.expiresAt), gt(shares.expiresAt, sql`now()`)));

/** The share behind a link, if it is neither revoked nor expired (by the database's clock). */
export async function getActiveShare({
  db,
  token,
}: {
  db?: Db;
  token: string;
}): Promise<ShareRow | undefined> {
  const [row] = await (
    await resolveDb(db)
  )
    .select(shareColumns)
    .from(shares)
    .where(and(eq(shares.token, token), isActive()));
  return row;
}

/**
 * Whether a link is active, and which snapshot it shows (its creation time), without reading the
 * snapshot itself: what a page that caches rendered snapshots asks on every view.
 */
export async function getActiveShareIdentity({
  db,
  token,
}: {
  db?: Db;
  token: string;
}): Promise<{ createdAt: Date } | undefined> {
  const [row] = await (
    await resolveDb(db)
  )
    .select({ createdAt: shares.createdAt })
    .from(shares)
    .where(and(eq(shares.token, token), isActive()));
  return row;
}
