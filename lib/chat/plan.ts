import type { ConversationWithMessages } from "@/lib/db/conversations";
import { activePath, pathTo } from "@/lib/conversations/tree";
import { ThinkpaneError } from "@/lib/errors";

type MessageRow = ConversationWithMessages["messages"][number];

/*
 * Where a turn's new messages go in the conversation's tree (lib/conversations/tree.ts). The
 * browser names the parent it shows (`parentId`); without one, the turn continues the path
 * the server has as shown. History sent upstream is always the path from the first message
 * down to that parent: the versions shown, never a sibling.
 */

/**
 * The message the turn's new message goes under: the one named (checked to be in this
 * conversation), null for a first message, or the end of the path shown when none is named.
 */
export function parentOf(
  parentId: string | null | undefined,
  conversation: ConversationWithMessages | undefined,
): string | null {
  const rows = conversation?.messages ?? [];
  if (parentId === undefined)
    return conversation ? (activePath(rows, conversation.activeLeafId).at(-1)?.id ?? null) : null;
  if (parentId !== null && !rows.some((m) => m.id === parentId))
    throw new ThinkpaneError("bad_request:invalid_body", {
      message: "The message to continue from is not in this conversation.",
      details: { field: "parentId" },
    });
  return parentId;
}

/** The messages from the first one down to `id` (inclusive); empty for null. */
export function pathOf(
  conversation: ConversationWithMessages | undefined,
  id: string | null,
): MessageRow[] {
  return pathTo(conversation?.messages ?? [], id);
}
