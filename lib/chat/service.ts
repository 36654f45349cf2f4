import "server-only";
import type { UIMessageChunk } from "ai";
import {
  type ConversationWithMessages,
  getConversation,
  getConversationOrTaken,
  titleFromText,
} from "@/lib/db/conversations";
import { markInterrupted, type NewMessage } from "@/lib/db/messages";
import { recordTurnChange, type TurnChange } from "@/lib/db/turns";
import { ThinkpaneError } from "@/lib/errors";
import { generationBus, type GenerationPublisher } from "@/lib/generation";
import { turnKey } from "@/lib/generation/key";
import { newId } from "@/lib/ids";
import { describeError, log } from "@/lib/log";
import type { Settings } from "@/lib/params";
import type { PresetRef, TurnPreset } from "@/lib/presets/schema";
import { resolveTurnPreset } from "@/lib/presets/service";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { streamChat } from "@/lib/upstream/chat";
import { createExchangeRecorder } from "@/lib/upstream/recorder";
import { limits, type Slot } from "@/lib/limits";
import { estimatePrompt } from "@/lib/usage/tokens";
import { checkOutputBudget, type ResolvedModel, resolveModel } from "@/lib/upstream/registry";
import { countedFollow } from "./followers";
import { parentOf, pathOf } from "./plan";
import { runGeneration } from "./run";
import { withStartMetadata } from "./start-metadata";
import { withToolResults } from "@/lib/tools/results";

/**
 * One turn of a conversation, with the server owning history: the browser says what changed
 * (a new message, a regenerate, an edit) and the settings; history comes from the database.
 * The generation runs detached from the HTTP request: a browser that goes away does not stop
 * it (only Stop does), and the turn is saved as it streams and when it ends.
 */

export type TurnInput = {
  conversationId: string;
  ownerId: string;
  /** In anonymous mode, the client address budgets count against as well as the owner. */
  address?: string;
  settings: Settings;
  preset?: PresetRef;
  /**
   * The message the browser shows before the turn's user message (null: it is the first); the
   * end of the path shown when absent. See lib/chat/plan.ts.
   */
  parentId?: string | null;
} & (
  | { trigger: "submit-message"; message: { id: string; text: string } }
  | { trigger: "regenerate-message" }
  | { trigger: "edit-message"; message: { id: string; text: string } }
  | {
      trigger: "submit-tool-results";
      messageId: string;
      results: { toolCallId: string; output: string }[];
    }
);

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
  if (streaming && !(await generationBus().isActive(turnKey({ ownerId, conversationId: id })))) {
    await markInterrupted({ conversationId: id, staleAfterMs: 0 });
    return getConversation({ id, ownerId });
  }
  return conversation;
}

type Conversation = ConversationWithMessages | undefined;

/**
 * What the turn changes in the stored history, and the history to send upstream: computed from
 * the conversation as loaded, so that nothing is read back after the write.
 */
export function planTurn(
  input: TurnInput,
  conversation: Conversation,
): {
  change: Omit<TurnChange, "append">;
  user?: NewMessage;
  history: ThinkpaneUIMessage[];
  /** A tool loop carries on in this answer (its calls answered) instead of a new one. */
  resume?: ThinkpaneUIMessage;
} {
  const base = {
    conversationId: input.conversationId,
    ownerId: input.ownerId,
    settings: input.settings,
  };
  const rows = conversation?.messages ?? [];
  // Nothing is deleted: a regenerate or an edit adds a version beside the old one.
  const parentId = parentOf(input.parentId, conversation);
  if (input.trigger === "submit-message") {
    const known = rows.find((m) => m.id === input.message.id);
    if (known) {
      // The same message sent again (Regenerate, Retry after a failure, or a send whose answer
      // was lost): answered again from the stored text as another version, never stored twice.
      if (known.role !== "user")
        throw new ThinkpaneError("bad_request:invalid_body", {
          message: "That message is already in this conversation; edit it to ask again.",
          details: { field: "message.id" },
        });
      return {
        change: { ...base, parentId: known.id },
        history: pathOf(conversation, known.id).map(toUIMessage),
      };
    }
    const user: NewMessage = {
      id: input.message.id,
      role: "user",
      parts: [{ type: "text", text: input.message.text }],
    };
    return {
      change: conversation
        ? { ...base, parentId }
        : { ...base, parentId: null, create: { title: titleFromText(input.message.text) } },
      user,
      history: [
        ...pathOf(conversation, parentId).map(toUIMessage),
        { ...user, metadata: {} } as ThinkpaneUIMessage,
      ],
    };
  }
  if (input.trigger === "submit-tool-results") {
    const path = pathOf(conversation, parentId);
    const answer = path.at(-1);
    if (!answer || answer.id !== input.messageId || answer.role !== "assistant")
      throw new ThinkpaneError("bad_request:invalid_body", {
        message: "Only the calls of the last answer shown can be given results.",
        details: { field: "messageId" },
      });
    const parts = withToolResults(answer.parts, input.results);
    const resume = toUIMessage({ ...answer, parts });
    return {
      change: { ...base, edit: { id: answer.id, parts, status: "streaming" } },
      history: [...path.slice(0, -1).map(toUIMessage), resume],
      resume,
    };
  }
  if (input.trigger === "regenerate-message") {
    const lastUser = pathOf(conversation, parentId).findLast((m) => m.role === "user");
    if (!lastUser)
      throw new ThinkpaneError("bad_request:invalid_body", {
        message: "There is no message to regenerate an answer for.",
      });
    return {
      change: { ...base, parentId: lastUser.id },
      history: pathOf(conversation, lastUser.id).map(toUIMessage),
    };
  }
  const edited = rows.find((m) => m.id === input.message.id && m.role === "user");
  if (!edited)
    throw new ThinkpaneError("not_found", {
      message: "The message to edit is not in this conversation.",
    });
  // The edited text is a new message beside the original, which keeps its branch.
  const user: NewMessage = {
    id: newId(),
    role: "user",
    parts: [{ type: "text", text: input.message.text }],
  };
  return {
    change: { ...base, parentId: edited.parentId },
    user,
    history: [
      ...pathOf(conversation, edited.parentId).map(toUIMessage),
      { ...user, metadata: {} } as ThinkpaneUIMessage,
    ],
  };
}

/** Writes a turn's change; a conversation created a moment ago by the same owner is used. */
async function saveChange(change: TurnChange): Promise<void> {
  try {
    await recordTurnChange(change);
  } catch (error) {
    // A coded refusal (a storage quota) is the answer as it is.
    if (!change.create || ThinkpaneError.is(error)) throw error;
    // Created a moment ago by this owner's other request (two sends at once): use it.
    const mine = await getConversation({ id: change.conversationId, ownerId: change.ownerId });
    if (mine) return recordTurnChange({ ...change, create: undefined });
    // The id exists but belongs to someone else: say nothing more than "not found".
    log.warn("conversation.create_conflict", describeError(error));
    throw new ThinkpaneError("not_found");
  }
}

/** Starts a turn and returns the stream of its chunks, from the first one. */
export async function startTurn(input: TurnInput): Promise<ReadableStream<UIMessageChunk>> {
  const model = resolveModel(input.settings.model);
  checkOutputBudget(model, input.settings.params);
  // Ownership before the conflict check: someone else's conversation is "not found", whether
  // or not it is generating.
  const found = await getConversationOrTaken({
    id: input.conversationId,
    ownerId: input.ownerId,
  });
  if (found === "taken" || (!found && input.trigger !== "submit-message"))
    throw new ThinkpaneError("not_found");
  const conversation = found;
  // Checked before anything is written: a preset that is not the owner's is not found.
  const preset = input.preset
    ? await resolveTurnPreset({
        ref: input.preset,
        ownerId: input.ownerId,
        settings: input.settings,
      })
    : undefined;
  // One generation per conversation: of two requests at the same instant, one gets the claim.
  const unclaim = await generationBus().claim(turnKey(input));
  if (!unclaim) throw new ThinkpaneError("conflict:generating");

  let slot: Slot;
  try {
    slot = await limits().admit({ owner: input.ownerId, address: input.address });
  } catch (error) {
    // Refused by a limit, nothing is written: no conversation, no message. The browser keeps
    // the message on screen, and Retry sends it again.
    await unclaim();
    throw error;
  }
  try {
    return await runTurn(input, conversation, model, preset, slot, unclaim);
  } catch (error) {
    await slot.release();
    throw error;
  }
}

/** The admitted part of startTurn; the slot is released when the generation ends. */
async function runTurn(
  input: TurnInput,
  conversation: Conversation,
  model: ResolvedModel,
  preset: TurnPreset | undefined,
  slot: Slot,
  unclaim: () => Promise<void>,
): Promise<ReadableStream<UIMessageChunk>> {
  const bus = generationBus();
  let plan: ReturnType<typeof planTurn>;
  try {
    plan = planTurn(input, conversation);
  } catch (error) {
    await unclaim();
    throw error;
  }
  const assistantId = plan.resume?.id ?? newId();
  // The user's change and the answer's placeholder go in one commit while the upstream call
  // starts; nothing of the answer is sent before that commit, so a reload, a restart or another
  // instance always finds the user's message before its answer.
  const written = saveChange({
    ...plan.change,
    append: plan.resume
      ? []
      : [
          ...(plan.user ? [plan.user] : []),
          {
            id: assistantId,
            role: "assistant",
            parts: [],
            metadata: { model: model.id, status: "streaming", ...(preset ? { preset } : {}) },
            status: "streaming",
          },
        ],
  });
  // Awaited below; this only keeps a failure from counting as unhandled in the meantime.
  written.catch(() => undefined);

  const controller = new AbortController();
  let publisher: GenerationPublisher;
  try {
    // Takes over the claim.
    publisher = await bus.begin(turnKey(input), () => controller.abort());
  } catch (error) {
    await written.catch(() => undefined);
    await unclaim();
    throw error;
  }
  const recorder = createExchangeRecorder({
    model,
    inToolLoops: input.settings.params.reasoning_in_tool_loops !== false,
  });
  let upstream: ReadableStream<UIMessageChunk>;
  try {
    upstream = withStartMetadata(
      await streamChat({
        model,
        settings: input.settings,
        messages: plan.history,
        abortSignal: controller.signal,
        messageId: assistantId,
        recorder,
      }),
      preset ? { preset } : undefined,
    );
    await written;
  } catch (error) {
    controller.abort();
    // A turn left "streaming" in the database loads as interrupted once its run has ended.
    await written.catch(() => undefined);
    await publisher.end();
    throw error;
  }

  runGeneration({
    upstream,
    publisher,
    slot,
    aborted: () => controller.signal.aborted,
    recorder,
    // A tool loop's next round: its request joins the ones before it in the message's exchange.
    continues: plan.resume !== undefined,
    ...(plan.resume
      ? { initial: { parts: plan.resume.parts, metadata: plan.resume.metadata } }
      : {}),
    turn: {
      ownerId: input.ownerId,
      conversationId: input.conversationId,
      address: input.address,
      messageId: assistantId,
      model: model.id,
      promptEstimate: estimatePrompt(plan.history, input.settings.system),
    },
  });

  const stream = await bus.subscribe(turnKey(input));
  if (!stream)
    throw new ThinkpaneError("internal:unexpected", {
      message: "The generation ended before it could be followed.",
    });
  return stream;
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
  return generationBus().requestStop(turnKey({ ownerId, conversationId }));
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
  return countedFollow(ownerId, () =>
    generationBus().subscribe(turnKey({ ownerId, conversationId })),
  );
}
