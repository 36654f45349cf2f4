import "server-only";
import { newId } from "@/lib/ids";
import { createConversation, getConversation } from "@/lib/db/conversations";
import { listExchanges, saveExchange } from "@/lib/db/exchanges";
import { appendMessage } from "@/lib/db/messages";
import { createShare, getActiveShare, listShares } from "@/lib/db/shares";
import { ThinkpaneError } from "@/lib/errors";
import { recommendedParams, type Settings } from "@/lib/params";
import { registry } from "@/lib/upstream/registry";
import { loadConversation } from "@/lib/chat/service";
import {
  expiryDate,
  toSnapshot,
  type ImportedConversation,
  type PortableConversation,
  type PortableMessage,
  type ShareOptions,
} from "./portable";

/**
 * A stored conversation in its portable form, for its owner only; with `exchanges`, each
 * assistant turn carries its raw exchange (the JSON export).
 */
export async function portableConversation({
  id,
  ownerId,
  exchanges = false,
}: {
  id: string;
  ownerId: string;
  exchanges?: boolean;
}): Promise<PortableConversation> {
  const conversation = await loadConversation({ id, ownerId });
  if (!conversation) throw new ThinkpaneError("not_found");
  const recorded = exchanges ? await listExchanges({ conversationId: id }) : new Map();
  return {
    title: conversation.title,
    createdAt: conversation.createdAt.toISOString(),
    settings: conversation.settings,
    messages: conversation.messages.map((m) => ({
      id: m.id,
      role: m.role,
      parts: m.parts,
      ...(m.metadata ? { metadata: m.metadata } : {}),
      status: m.status,
      ...(recorded.has(m.id) ? { exchange: recorded.get(m.id) } : {}),
    })),
  };
}

function defaultSettings(): Settings {
  return { model: registry().defaultModel, params: recommendedParams() };
}

/** Copies messages into a new conversation owned by `ownerId` (import and fork). New ids throughout. */
async function copyInto({
  ownerId,
  title,
  settings,
  messages,
}: {
  ownerId: string;
  title: string;
  settings: Settings;
  messages: Pick<PortableMessage, "role" | "parts" | "metadata" | "status" | "exchange">[];
}): Promise<string> {
  const id = newId();
  await createConversation({ id, ownerId, title, settings });
  for (const message of messages) {
    // A turn that was still streaming when copied cannot continue in the copy.
    const status = message.status === "streaming" ? "interrupted" : message.status;
    const messageId = newId();
    await appendMessage({
      conversationId: id,
      message: {
        id: messageId,
        role: message.role,
        parts: message.parts,
        metadata: message.metadata,
        status,
      },
    });
    if (message.exchange && message.role === "assistant")
      await saveExchange({ conversationId: id, messageId, exchange: message.exchange });
  }
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
    messages: data.messages.map((m) => ({
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
  return createShare({
    conversationId: id,
    ownerId,
    snapshot: toSnapshot(conversation, options),
    includeReasoning: options.includeReasoning,
    includeSettings: options.includeSettings,
    exchanges,
    expiresAt: expiryDate(options.expiresIn) ?? null,
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
  if (!share) throw new ThinkpaneError("not_found");
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
