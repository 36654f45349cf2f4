/**
 * The bus key of a conversation's running turn: its owner and its id. A turn is found only by
 * the owner who started it, so someone who re-creates a deleted conversation's id (ids come
 * from the browser) finds none of the old turn's chunks, cannot stop it and is not refused by it.
 */
export function turnKey({
  ownerId,
  conversationId,
}: {
  ownerId: string;
  conversationId: string;
}): string {
  return `${ownerId}:${conversationId}`;
}

/**
 * The bus key of one answer of a compare column: owner-scoped like a turn, and never equal to
 * a turn's key (a conversation id has no colon).
 */
export function columnRunKey({
  ownerId,
  comparisonId,
  column,
  run,
}: {
  ownerId: string;
  comparisonId: string;
  column: number;
  run: number;
}): string {
  return `${ownerId}:compare:${comparisonId}:${column}:${run}`;
}
