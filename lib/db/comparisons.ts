import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { ThinkpaneError } from "@/lib/errors";
import type { ThinkpaneUIMessage, TurnMetadata } from "@/lib/types";
import { type Db, resolveDb } from "./client";
import { assertWithinQuotas, estimatedBytes } from "./quotas";
import {
  type ComparisonRow,
  type ComparisonRunRow,
  comparisonRuns,
  comparisons,
  type ComparisonSpec,
  type MessageStatus,
} from "./schema";

export type { ComparisonRow, ComparisonRunRow, ComparisonSpec };
export type ComparisonWithRuns = ComparisonRow & { runs: ComparisonRunRow[] };

export const runId = (comparisonId: string, column: number, run: number) =>
  `${comparisonId}:${column}:${run}`;

/**
 * Creates the owner's comparison or replaces its settings and answers (a new Run). An id that
 * belongs to someone else is "not found". The owner's storage quotas apply as to a conversation.
 */
export async function saveComparison({
  db,
  id,
  ownerId,
  title,
  spec,
}: {
  db?: Db;
  id: string;
  ownerId: string;
  title: string;
  spec: ComparisonSpec;
}): Promise<void> {
  await (
    await resolveDb(db)
  ).transaction(async (tx) => {
    const [existing] = await tx
      .select({ ownerId: comparisons.ownerId })
      .from(comparisons)
      .where(eq(comparisons.id, id))
      .for("update");
    if (existing && existing.ownerId !== ownerId) throw new ThinkpaneError("not_found");
    if (existing) {
      await tx
        .update(comparisons)
        .set({ title, spec, updatedAt: sql`now()` })
        .where(and(eq(comparisons.id, id), eq(comparisons.ownerId, ownerId)));
      await tx.delete(comparisonRuns).where(eq(comparisonRuns.comparisonId, id));
    } else {
      await tx.insert(comparisons).values({ id, ownerId, title, spec });
    }
    await assertWithinQuotas({
      db: tx,
      ownerId,
      adding: { conversations: 1, messages: 0, bytes: estimatedBytes(spec) },
    });
  });
}

/** The owner's comparison with its answers in order; undefined when missing or not theirs. */
export async function getComparison({
  db,
  id,
  ownerId,
}: {
  db?: Db;
  id: string;
  ownerId: string;
}): Promise<ComparisonWithRuns | undefined> {
  const d = await resolveDb(db);
  const [row] = await d
    .select()
    .from(comparisons)
    .where(and(eq(comparisons.id, id), eq(comparisons.ownerId, ownerId)));
  if (!row) return undefined;
  const runs = await d
    .select()
    .from(comparisonRuns)
    .where(eq(comparisonRuns.comparisonId, id))
    .orderBy(asc(comparisonRuns.column), asc(comparisonRuns.run));
  return { ...row, runs };
}

/** The owner's comparisons, most recent first (the history sidebar). */
export async function listComparisons({
  db,
  ownerId,
  limit = 50,
}: {
  db?: Db;
  ownerId: string;
  limit?: number;
}): Promise<{ id: string; title: string; updatedAt: Date }[]> {
  return (await resolveDb(db))
    .select({ id: comparisons.id, title: comparisons.title, updatedAt: comparisons.updatedAt })
    .from(comparisons)
    .where(eq(comparisons.ownerId, ownerId))
    .orderBy(desc(comparisons.updatedAt))
    .limit(limit);
}

export async function deleteComparison({
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
    .delete(comparisons)
    .where(and(eq(comparisons.id, id), eq(comparisons.ownerId, ownerId)))
    .returning({ id: comparisons.id });
  return rows.length > 0;
}

/** Writes one answer of a column as it streams and when it ends (insert, then update). */
export async function saveComparisonRun({
  db,
  comparisonId,
  column,
  run,
  parts,
  metadata,
  status,
}: {
  db?: Db;
  comparisonId: string;
  column: number;
  run: number;
  parts: ThinkpaneUIMessage["parts"];
  metadata?: TurnMetadata;
  status: MessageStatus;
}): Promise<void> {
  const values = { parts, metadata: metadata ?? null, status, updatedAt: sql`now()` };
  await (
    await resolveDb(db)
  )
    .insert(comparisonRuns)
    .values({ id: runId(comparisonId, column, run), comparisonId, column, run, ...values })
    .onConflictDoUpdate({ target: comparisonRuns.id, set: values });
}
