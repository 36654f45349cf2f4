import "server-only";
import { loadConversation, toUIMessage } from "@/lib/chat/service";
import type { ConversationWithMessages } from "@/lib/db/conversations";
import { setActiveLeaf } from "@/lib/db/paths";
import { ThinkpaneError } from "@/lib/errors";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { activePath, latestLeafUnder, type Versions, versionsOf } from "./tree";

/** The path shown of a conversation, as the page and the version switcher get it. */
export type ShownPath = {
  activeLeafId: string | null;
  messages: ThinkpaneUIMessage[];
  /** By message id, for the messages on the path that have more than one version. */
  versions: Record<string, Versions>;
};

export function shownPath(conversation: ConversationWithMessages): ShownPath {
  const path = activePath(conversation.messages, conversation.activeLeafId);
  return {
    activeLeafId: path.at(-1)?.id ?? null,
    messages: path.map(toUIMessage),
    versions: versionsOf(conversation.messages, path),
  };
}

/** The owner's conversation's path shown; not found for anyone else. */
export async function conversationPath({
  id,
  ownerId,
}: {
  id: string;
  ownerId: string;
}): Promise<ShownPath> {
  const conversation = await loadConversation({ id, ownerId });
  if (!conversation) throw new ThinkpaneError("not_found");
  return shownPath(conversation);
}

/**
 * Shows the version `messageId`: the path becomes the one to the branch last written under it.
 * Saved, so that a reload and other instances show the same path.
 */
export async function chooseVersion({
  id,
  ownerId,
  messageId,
}: {
  id: string;
  ownerId: string;
  messageId: string;
}): Promise<ShownPath> {
  const conversation = await loadConversation({ id, ownerId });
  if (!conversation) throw new ThinkpaneError("not_found");
  const leaf = latestLeafUnder(conversation.messages, messageId);
  if (!leaf)
    throw new ThinkpaneError("bad_request:invalid_body", {
      message: "That message is not in this conversation.",
      details: { field: "messageId" },
    });
  if (!(await setActiveLeaf({ conversationId: id, ownerId, leafId: leaf.id })))
    throw new ThinkpaneError("not_found");
  return shownPath({ ...conversation, activeLeafId: leaf.id });
}
