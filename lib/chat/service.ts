import "server-only";
import { generateId, readUIMessageStream, type UIMessageChunk } from "ai";
import {
  type ConversationWithMessages,
  createConversation,
  getConversation,
  titleFromText,
  updateConversationSettings,
} from "@/lib/db/conversations";
import {
  appendMessage,
  deleteMessagesFrom,
  markInterrupted,
  updateMessage,
} from "@/lib/db/messages";
import type { MessageStatus } from "@/lib/db/schema";
import { ThinkpaneError } from "@/lib/errors";
import { generationBus } from "@/lib/generation";
import { describeError, log } from "@/lib/log";
import type { Settings } from "@/lib/params";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { streamChat } from "@/lib/upstream/chat";
import { limits, type Slot } from "@/lib/limits";
import { recordUsage } from "@/lib/db/usage";
import { estimatePrompt, turnTokens } from "@/lib/usage/tokens";
import { type ResolvedModel, resolveModel } from "@/lib/upstream/registry";

/**
 * One turn of a conversation, with the server owning history: the browser says what changed
 * (a new message, a regenerate, an edit) and the settings; history comes from the database.
 * The generation runs detached from the HTTP request: a browser that goes away does not stop
 * it (only Stop does), and the turn is saved as it streams and when it ends.
 */

export type TurnInput = {
  conversationId: string;
  ownerId: string;
  settings: Settings;
} & (
  | { trigger: "submit-message"; message: { id: string; text: string } }
  | { trigger: "regenerate-message" }
  | { trigger: "edit-message"; message: { id: string; text: string } }
);

/** How often a streaming turn is written to the database (also its heartbeat). */
const CHECKPOINT_MS = 1_000;

type MessageRow = NonNullable<Awaited<ReturnType<typeof getConversation>>>["messages"][number];

export function toUIMessage(row: MessageRow): ThinkpaneUIMessage {
  const status =
    row.status === "streaming" || row.status === "interrupted" ? row.status : undefined;
  return {
    id: row.id,
    role: row.role,
    parts: row.parts,
    metadata: { ...row.metadata, ...(status === "interrupted" ? { status: "interrupted" } : {}) },
  } as ThinkpaneUIMessage;
}

/**
 * Loads a conversation for its owner; a turn left "streaming" by a process that is gone (a
 * crash, a restart) is marked interrupted, so it shows as such instead of spinning forever.
 */
export async function loadConversation({ id, ownerId }: { id: string; ownerId: string }) {
  const conversation = await getConversation({ id, ownerId });
  if (!conversation) return undefined;
  const streaming = conversation.messages.some((m) => m.status === "streaming");
  if (streaming && !(await generationBus().isActive(id))) {
    await markInterrupted({ conversationId: id, staleAfterMs: 0 });
    return getConversation({ id, ownerId });
  }
  return conversation;
}

async function conversationFor(input: TurnInput, firstText: string | undefined) {
  const existing = await getConversation({ id: input.conversationId, ownerId: input.ownerId });
  if (existing) return existing;
  if (input.trigger !== "submit-message") throw new ThinkpaneError("not_found");
  try {
    await createConversation({
      id: input.conversationId,
      ownerId: input.ownerId,
      title: titleFromText(firstText ?? ""),
      settings: input.settings,
    });
  } catch (error) {
    // Created a moment ago by this owner's other request (two sends at once): use it.
    const mine = await getConversation({ id: input.conversationId, ownerId: input.ownerId });
    if (mine) return mine;
    // The id exists but belongs to someone else: say nothing more than "not found".
    log.warn("conversation.create_conflict", describeError(error));
    throw new ThinkpaneError("not_found");
  }
  return (await getConversation({ id: input.conversationId, ownerId: input.ownerId }))!;
}

/** Applies the turn's change to the stored history and returns the history to send upstream. */
async function applyTrigger(
  input: TurnInput,
  conversation: ConversationWithMessages,
): Promise<ThinkpaneUIMessage[]> {
  const messages = conversation.messages;
  const id = conversation.id;

  if (input.trigger === "submit-message") {
    await appendMessage({
      conversationId: id,
      message: {
        id: input.message.id,
        role: "user",
        parts: [{ type: "text", text: input.message.text }],
      },
    });
  } else if (input.trigger === "regenerate-message") {
    const lastUser = messages.findLast((m) => m.role === "user");
    if (!lastUser)
      throw new ThinkpaneError("bad_request:invalid_body", {
        message: "There is no message to regenerate an answer for.",
      });
    await deleteMessagesFrom({ conversationId: id, seq: lastUser.seq + 1 });
  } else {
    const edited = messages.find((m) => m.id === input.message.id && m.role === "user");
    if (!edited)
      throw new ThinkpaneError("not_found", {
        message: "The message to edit is not in this conversation.",
      });
    await deleteMessagesFrom({ conversationId: id, seq: edited.seq + 1 });
    await updateMessage({
      conversationId: id,
      id: edited.id,
      parts: [{ type: "text", text: input.message.text }],
    });
  }
  await updateConversationSettings({ id, ownerId: input.ownerId, settings: input.settings });

  const updated = await getConversation({ id, ownerId: input.ownerId });
  return (updated?.messages ?? []).map(toUIMessage);
}

/** Starts a turn and returns the stream of its chunks, from the first one. */
export async function startTurn(input: TurnInput): Promise<ReadableStream<UIMessageChunk>> {
  const model = resolveModel(input.settings.model);
  // Ownership before the conflict check: someone else's conversation is "not found", whether
  // or not it is generating.
  const conversation = await conversationFor(
    input,
    "message" in input ? input.message.text : undefined,
  );
  // One generation per conversation: of two requests at the same instant, one gets the claim.
  const unclaim = await generationBus().claim(input.conversationId);
  if (!unclaim) throw new ThinkpaneError("conflict:generating");

  let slot: Slot;
  try {
    slot = await limits().admit(input.ownerId);
  } catch (error) {
    try {
      // Over a limit, a new message is still kept: it shows with the error, and Retry (a
      // regenerate) answers it later. A regenerate or an edit changes nothing until admitted.
      if (input.trigger === "submit-message") await applyTrigger(input, conversation);
    } finally {
      await unclaim();
    }
    throw error;
  }
  try {
    return await runTurn(input, conversation, model, slot, unclaim);
  } catch (error) {
    await slot.release();
    throw error;
  }
}

/** The admitted part of startTurn; the slot is released when the generation ends. */
async function runTurn(
  input: TurnInput,
  conversation: ConversationWithMessages,
  model: ResolvedModel,
  slot: Slot,
  unclaim: () => Promise<void>,
): Promise<ReadableStream<UIMessageChunk>> {
  const bus = generationBus();
  let history: ThinkpaneUIMessage[];
  const assistantId = generateId();
  try {
    history = await applyTrigger(input, conversation);
    await appendMessage({
      conversationId: input.conversationId,
      message: {
        id: assistantId,
        role: "assistant",
        parts: [],
        metadata: { model: model.id, status: "streaming" },
        status: "streaming",
      },
    });
  } catch (error) {
    await unclaim();
    throw error;
  }

  const controller = new AbortController();
  // Takes over the claim.
  const publisher = await bus.begin(input.conversationId, () => controller.abort());
  let upstream: ReadableStream<UIMessageChunk>;
  try {
    upstream = await streamChat({
      model,
      settings: input.settings,
      messages: history,
      abortSignal: controller.signal,
      messageId: assistantId,
    });
  } catch (error) {
    // The turn stays "streaming" in the database; with the run ended it loads as interrupted.
    await publisher.end();
    throw error;
  }

  const [toBus, toStore] = upstream.tee();
  const published = (async () => {
    const reader = toBus.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read())
      publisher.publish(next.value);
  })();
  const saved = persistTurn({
    conversationId: input.conversationId,
    messageId: assistantId,
    stream: toStore,
    aborted: () => controller.signal.aborted,
  }).then((final) =>
    account({
      ownerId: input.ownerId,
      conversationId: input.conversationId,
      messageId: assistantId,
      model: model.id,
      final,
      promptEstimate: estimatePrompt(history, input.settings.system),
    }),
  );

  void Promise.allSettled([published, saved]).then(async (results) => {
    for (const result of results) {
      if (result.status === "rejected") {
        // The class only: a database error's message can quote the turn's text.
        log.error("turn.failed", describeError(result.reason));
      }
    }
    await slot
      .release()
      .catch((error: unknown) => log.warn("limits.release_failed", describeError(error)));
    // The end goes out after the final save, so whoever reloads after it sees the saved turn.
    await publisher.end();
  });

  const stream = await bus.subscribe(input.conversationId);
  if (!stream)
    throw new ThinkpaneError("internal:unexpected", {
      message: "The generation ended before it could be followed.",
    });
  return stream;
}

async function persistTurn({
  conversationId,
  messageId,
  stream,
  aborted,
}: {
  conversationId: string;
  messageId: string;
  stream: ReadableStream<UIMessageChunk>;
  aborted: () => boolean;
}): Promise<FinalTurn> {
  let latest: ThinkpaneUIMessage | undefined;
  let lastSave = Date.now();
  for await (const message of readUIMessageStream<ThinkpaneUIMessage>({ stream })) {
    latest = message;
    if (Date.now() - lastSave >= CHECKPOINT_MS) {
      lastSave = Date.now();
      await updateMessage({
        conversationId,
        id: messageId,
        parts: message.parts,
        metadata: message.metadata,
      });
    }
  }
  const metadata = latest?.metadata ?? {};
  const status: MessageStatus = aborted()
    ? "stopped"
    : metadata.status === "error"
      ? "error"
      : "done";
  await updateMessage({
    conversationId,
    id: messageId,
    parts: latest?.parts ?? [],
    metadata: {
      ...metadata,
      status: status === "done" ? "done" : status === "stopped" ? "stopped" : "error",
    },
    status,
  });
  return { message: latest, status };
}

type FinalTurn = { message: ThinkpaneUIMessage | undefined; status: MessageStatus };

/**
 * Books a finished turn: its tokens against the owner's daily budget and a row in the usage
 * ledger. Stopped and failed turns count too, with estimates when the upstream sent no usage.
 */
async function account({
  ownerId,
  conversationId,
  messageId,
  model,
  final,
  promptEstimate,
}: {
  ownerId: string;
  conversationId: string;
  messageId: string;
  model: string;
  final: FinalTurn;
  promptEstimate: number;
}): Promise<void> {
  const tokens = turnTokens(final.message, promptEstimate);
  const [spent, recorded] = await Promise.allSettled([
    limits().spend(ownerId, tokens.promptTokens + tokens.completionTokens),
    recordUsage({
      entry: {
        ownerId,
        conversationId,
        messageId,
        model,
        status: final.status,
        ...tokens,
        costUsd: final.message?.metadata?.costUsd ?? null,
      },
    }),
  ]);
  if (spent.status === "rejected") log.warn("usage.budget_failed", describeError(spent.reason));
  if (recorded.status === "rejected")
    log.error("usage.ledger_failed", describeError(recorded.reason));
}

export async function stopTurn({
  conversationId,
  ownerId,
}: {
  conversationId: string;
  ownerId: string;
}): Promise<boolean> {
  const conversation = await getConversation({ id: conversationId, ownerId });
  if (!conversation) throw new ThinkpaneError("not_found");
  return generationBus().requestStop(conversationId);
}

export async function followTurn({
  conversationId,
  ownerId,
}: {
  conversationId: string;
  ownerId: string;
}) {
  const conversation = await getConversation({ id: conversationId, ownerId });
  if (!conversation) throw new ThinkpaneError("not_found");
  return generationBus().subscribe(conversationId);
}
