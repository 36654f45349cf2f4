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
