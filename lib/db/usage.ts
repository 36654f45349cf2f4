import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, gte, sql } from "drizzle-orm";
import { type Db, resolveDb } from "./client";
import { type MessageStatus, usageEvents } from "./schema";

export type UsageEntry = {
  ownerId: string;
  conversationId: string;
  messageId: string;
  model: string;
  status: MessageStatus;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costUsd: number | null;
  estimated: boolean;
};

export async function recordUsage({ db, entry }: { db?: Db; entry: UsageEntry }): Promise<void> {
  await (await resolveDb(db)).insert(usageEvents).values({ id: randomUUID(), ...entry });
}

export type DailyUsage = {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  ownerId: string;
  turns: number;
  promptTokens: number;
  /** Generated tokens that were not reasoning: the answers. */
  answerTokens: number;
  reasoningTokens: number;
  /** Sum of the turns whose upstream reported a cost; null when none did. */
  costUsd: number | null;
  /** Turns whose counts are estimates. */
  estimatedTurns: number;
};

/**
 * Usage per UTC day and owner, newest day first, over the last `days` days. `ownerId` narrows
 * it to one owner.
 */
export async function dailyUsage({
  db,
  days,
  ownerId,
  now = new Date(),
}: {
  db?: Db;
  days: number;
  ownerId?: string;
  now?: Date;
}): Promise<DailyUsage[]> {
  const since = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)),
  );
  const day = sql<string>`to_char(${usageEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  const rows = await (
    await resolveDb(db)
  )
    .select({
      day,
      ownerId: usageEvents.ownerId,
      turns: sql`count(*)`.mapWith(Number),
      promptTokens: sql`coalesce(sum(${usageEvents.promptTokens}), 0)`.mapWith(Number),
      completionTokens: sql`coalesce(sum(${usageEvents.completionTokens}), 0)`.mapWith(Number),
      reasoningTokens: sql`coalesce(sum(${usageEvents.reasoningTokens}), 0)`.mapWith(Number),
      costUsd: sql<number | null>`sum(${usageEvents.costUsd})`,
      estimatedTurns: sql`count(*) filter (where ${usageEvents.estimated})`.mapWith(Number),
    })
    .from(usageEvents)
    .where(
      and(
        gte(usageEvents.createdAt, since),
        ownerId === undefined ? undefined : eq(usageEvents.ownerId, ownerId),
      ),
    )
    .groupBy(day, usageEvents.ownerId)
    .orderBy(desc(day), usageEvents.ownerId);
  return rows.map(({ completionTokens, costUsd, ...row }) => ({
    ...row,
    answerTokens: Math.max(0, completionTokens - row.reasoningTokens),
    costUsd: costUsd === null ? null : Number(costUsd),
  }));
}
