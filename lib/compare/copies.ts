import "server-only";
import { randomUUID } from "node:crypto";
import { expiryDate, type ShareOptions } from "@/lib/conversations/portable";
import { getComparison } from "@/lib/db/comparisons";
import { getDb } from "@/lib/db/client";
import { assertWithinQuotas } from "@/lib/db/quotas";
import { createComparisonShare, listComparisonShares } from "@/lib/db/shares";
import { recordTurnChange } from "@/lib/db/turns";
import { ThinkpaneError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { columnSettings } from "./service";
import { toComparisonSnapshot } from "./portable";

/**
 * Continue in playground: a new conversation of the owner's with the column's settings, the
 * prompt and that column's answer, as if it had been asked there.
 */
export async function continueColumn({
  id,
  ownerId,
  column,
  run,
}: {
  id: string;
  ownerId: string;
  column: number;
  run: number;
}): Promise<string> {
  const comparison = await getComparison({ id, ownerId });
  if (!comparison) throw new ThinkpaneError("not_found");
  const answer = comparison.runs.find((r) => r.column === column && r.run === run);
  if (!answer) throw new ThinkpaneError("not_found");
  const conversationId = randomUUID();
  await recordTurnChange({
    conversationId,
    ownerId,
    settings: columnSettings(comparison.spec, column),
    create: { title: comparison.title },
    append: [
      { id: newId(), role: "user", parts: [{ type: "text", text: comparison.spec.prompt }] },
      {
        id: newId(),
        role: "assistant",
        parts: answer.parts,
        metadata: answer.metadata ?? undefined,
        status: answer.status === "streaming" ? "interrupted" : answer.status,
      },
    ],
  });
  return conversationId;
}

/** A read-only snapshot link of the owner's comparison, with the options of a conversation's. */
export async function shareComparison({
  id,
  ownerId,
  options,
}: {
  id: string;
  ownerId: string;
  options: ShareOptions;
}) {
  const comparison = await getComparison({ id, ownerId });
  if (!comparison) throw new ThinkpaneError("not_found");
  return (await getDb()).transaction(async (tx) => {
    const share = await createComparisonShare({
      db: tx,
      comparisonId: id,
      ownerId,
      snapshot: toComparisonSnapshot(comparison, options),
      includeReasoning: options.includeReasoning,
      includeSettings: options.includeSettings,
      expiresAt: expiryDate(options.expiresIn) ?? null,
    });
    await assertWithinQuotas({ db: tx, ownerId });
    return share;
  });
}

export async function comparisonShares({ id, ownerId }: { id: string; ownerId: string }) {
  if (!(await getComparison({ id, ownerId }))) throw new ThinkpaneError("not_found");
  return listComparisonShares({ comparisonId: id, ownerId });
}
