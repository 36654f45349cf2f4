import "server-only";
import { generateId } from "ai";
import { createConversation, getConversation } from "@/lib/db/conversations";
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

/** A stored conversation in its portable form, for its owner only. */
export async function portableConversation({
  id,
  ownerId,
}: {
  id: string;
  ownerId: string;
}): Promise<PortableConversation> {
  const conversation = await loadConversation({ id, ownerId });
  if (!conversation) throw new ThinkpaneError("not_found");
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
  messages: Pick<PortableMessage, "role" | "parts" | "metadata" | "status">[];
}): Promise<string> {
  const id = generateId();
  await createConversation({ id, ownerId, title, settings });
  for (const message of messages) {
    // A turn that was still streaming when copied cannot continue in the copy.
    const status = message.status === "streaming" ? "interrupted" : message.status;
    await appendMessage({
      conversationId: id,
      message: {
        id: generateId(),
        role: message.role,
        parts: message.parts,
        metadata: message.metadata,
        status,
      },
    });
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
  const conversation = await portableConversation({ id, ownerId });
  return createShare({
    conversationId: id,
    ownerId,
    snapshot: toSnapshot(conversation, options),
    includeReasoning: options.includeReasoning,
    includeSettings: options.includeSettings,
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
