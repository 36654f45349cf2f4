import "server-only";
import { getDb } from "@/lib/db/client";
import { createConversation, getConversation } from "@/lib/db/conversations";
import { listExchanges, saveExchange } from "@/lib/db/exchanges";
import { appendMessages, type NewMessage } from "@/lib/db/messages";
import { assertWithinQuotas } from "@/lib/db/quotas";
import { createShare, getActiveShare, listShares } from "@/lib/db/shares";
import { ThinkpaneError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recommendedParams, type Settings } from "@/lib/params";
import { registry } from "@/lib/upstream/registry";
import { loadConversation } from "@/lib/chat/service";
import { setActiveLeaf } from "@/lib/db/paths";
import { activePath } from "./tree";
import {
  expiryDate,
  toSnapshot,
  type ImportedConversation,
  type PortableConversation,
  type PortableMessage,
  type ShareOptions,
} from "./portable";

/**
 * A stored conversation in its portable form, for its owner only: the path shown (Markdown,
 * shares), or with `versions` every message with its parent and the path shown's end (the JSON
 * export). With `exchanges`, each assistant turn carries its raw exchange (the JSON export).
 */
export async function portableConversation({
  id,
  ownerId,
  exchanges = false,
  versions = false,
}: {
  id: string;
  ownerId: string;
  exchanges?: boolean;
  versions?: boolean;
}): Promise<PortableConversation> {
  const conversation = await loadConversation({ id, ownerId });
  if (!conversation) throw new ThinkpaneError("not_found");
  const recorded = exchanges ? await listExchanges({ conversationId: id }) : new Map();
  const path = activePath(conversation.messages, conversation.activeLeafId);
  return {
    title: conversation.title,
    createdAt: conversation.createdAt.toISOString(),
    settings: conversation.settings,
    messages: (versions ? conversation.messages : path).map((m) => ({
      id: m.id,
      ...(versions ? { parentId: m.parentId } : {}),
      role: m.role,
      parts: m.parts,
      ...(m.metadata ? { metadata: m.metadata } : {}),
      status: m.status,
      ...(recorded.has(m.id) ? { exchange: recorded.get(m.id) } : {}),
    })),
    ...(versions ? { activeLeafId: path.at(-1)?.id ?? null } : {}),
  };
}

function defaultSettings(): Settings {
  return { model: registry().defaultModel, params: recommendedParams() };
}

/**
 * Copies messages into a new conversation owned by `ownerId` (import and fork). New ids
 * throughout. Messages that name a parent (a tree, checked by importSchema: parents first) keep
 * their shape, the others follow the one before; `activeLeafId` (an id of `messages`) is the end
 * of the path shown, the last message by default. One transaction: a failure part-way (a bad
 * row, a storage quota) stores nothing.
 */
async function copyInto({
  ownerId,
  title,
  settings,
  messages,
  activeLeafId,
}: {
  ownerId: string;
  title: string;
  settings: Settings;
  messages: Pick<
    PortableMessage,
    "id" | "parentId" | "role" | "parts" | "metadata" | "status" | "exchange"
  >[];
  activeLeafId?: string | null;
}): Promise<string> {
  const id = newId();
  const ids = messages.map(() => newId());
  // The source's ids, to find parents by (a version 1 file's may be missing or repeat).
  const newIds = new Map<string, string>();
  for (const [i, m] of messages.entries()) if (!newIds.has(m.id)) newIds.set(m.id, ids[i]!);
  const rows: (NewMessage & { exchange?: PortableMessage["exchange"] })[] = messages.map(
    (message, i) => ({
      id: ids[i]!,
      parentId:
        message.parentId == null ? message.parentId : (newIds.get(message.parentId) ?? null),
      role: message.role,
      parts: message.parts,
      metadata: message.metadata,
      // A turn that was still streaming when copied cannot continue in the copy.
      status: message.status === "streaming" ? "interrupted" : message.status,
      exchange: message.role === "assistant" ? message.exchange : undefined,
    }),
  );
  await (
    await getDb()
  ).transaction(async (tx) => {
    await createConversation({ db: tx, id, ownerId, title, settings });
    await appendMessages({
      db: tx,
      conversationId: id,
      messages: rows.map(({ exchange: _exchange, ...message }) => message),
    });
    const leaf =
      activeLeafId != null
        ? newIds.get(activeLeafId)
        : activeLeafId === null
          ? null
          : rows.at(-1)?.id;
    await setActiveLeaf({ db: tx, conversationId: id, ownerId, leafId: leaf ?? null });
    for (const { id: messageId, exchange } of rows)
      if (exchange) await saveExchange({ db: tx, conversationId: id, messageId, exchange });
    await assertWithinQuotas({ db: tx, ownerId });
  });
  return id;
}

export async function importConversation({
  ownerId,
  data,
}: {
  ownerId: string;
  data: ImportedConversation;
}): Promise<string> {
  return copyInto({
    ownerId,
    title: data.title,
    settings: data.settings ?? defaultSettings(),
    activeLeafId: data.activeLeafId,
    messages: data.messages.map((m) => ({
      id: m.id ?? "",
      parentId: m.parentId,
      role: m.role,
      parts: m.parts,
      metadata: m.metadata,
      status: m.status ?? "done",
      exchange: m.exchange,
    })),
  });
}

export async function shareConversation({
  id,
  ownerId,
  options,
}: {
  id: string;
  ownerId: string;
  options: ShareOptions;
}) {
  const conversation = await portableConversation({
    id,
    ownerId,
    exchanges: options.includeExchange,
  });
  // Frozen with the snapshot: a later regenerate does not change what the link serves.
  const exchanges = options.includeExchange
    ? Object.fromEntries(
        conversation.messages.flatMap((m) => (m.exchange ? [[m.id, m.exchange]] : [])),
      )
    : undefined;
  // A snapshot is a copy of the conversation: it counts toward the owner's stored bytes.
  return (await getDb()).transaction(async (tx) => {
    const share = await createShare({
      db: tx,
      conversationId: id,
      ownerId,
      snapshot: toSnapshot(conversation, options),
      includeReasoning: options.includeReasoning,
      includeSettings: options.includeSettings,
      exchanges,
      expiresAt: expiryDate(options.expiresIn) ?? null,
    });
    await assertWithinQuotas({ db: tx, ownerId });
    return share;
  });
}

/** The owner's share links of a conversation; someone else's conversation is not found, as elsewhere. */
export async function conversationShares({ id, ownerId }: { id: string; ownerId: string }) {
  if (!(await conversationExists({ id, ownerId }))) throw new ThinkpaneError("not_found");
  return listShares({ conversationId: id, ownerId });
}

/** "Continue in playground": the viewer's own copy of a shared snapshot, with its settings. */
export async function forkShare({
  token,
  ownerId,
}: {
  token: string;
  ownerId: string;
}): Promise<string> {
  const share = await getActiveShare({ token });
  // A comparison's link has no conversation to copy.
  if (!share || share.snapshot.comparison) throw new ThinkpaneError("not_found");
  const snapshot = share.snapshot;
  return copyInto({
    ownerId,
    title: snapshot.title,
    settings: snapshot.settings ?? defaultSettings(),
    messages: snapshot.messages,
  });
}

export async function conversationExists({
  id,
  ownerId,
}: {
  id: string;
  ownerId: string;
}): Promise<boolean> {
  return (await getConversation({ id, ownerId })) !== undefined;
}
