import "server-only";
import type { UIMessageChunk } from "ai";
import { saveExchange } from "@/lib/db/exchanges";
import { updateMessage } from "@/lib/db/messages";
import type { MessageStatus } from "@/lib/db/schema";
import { recordUsage } from "@/lib/db/usage";
import type { GenerationPublisher } from "@/lib/generation";
import { limits, type Slot } from "@/lib/limits";
import { describeError, log } from "@/lib/log";
import type { ThinkpaneUIMessage } from "@/lib/types";
import type { ExchangeRecorder } from "@/lib/upstream/recorder";
import { turnTokens } from "@/lib/usage/tokens";
import { createTurnState } from "./turn-state";

/** How often a streaming turn is written to the database (also its heartbeat). */
const CHECKPOINT_MS = 1_000;

type Turn = {
  ownerId: string;
  /** The client address the turn counts against too (anonymous mode). */
  address?: string;
  conversationId: string;
  messageId: string;
  model: string;
  promptEstimate: number;
};

/** Where a generation's answer is written: as it streams (no status) and when it ends. */
export type AnswerSink = (answer: {
  parts: ThinkpaneUIMessage["parts"];
  metadata: ThinkpaneUIMessage["metadata"];
  status?: MessageStatus;
}) => Promise<unknown>;

/**
 * Runs a generation detached from the HTTP request: every chunk goes to the bus as it comes
 * (whoever follows reads it there), the message is built in place and saved about once a second
 * without holding up the chunks, then saved as it ended, booked, and the slot given back. The
 * bus's end goes out last, so that whoever reloads after it sees the saved turn.
 */
export function runGeneration({
  upstream,
  publisher,
  slot,
  aborted,
  recorder,
  continues = false,
  turn,
  sink,
  initial,
}: {
  upstream: ReadableStream<UIMessageChunk>;
  publisher: GenerationPublisher;
  slot: Slot;
  aborted: () => boolean;
  /** The turn's raw exchange, saved beside it when it ends. */
  recorder?: ExchangeRecorder;
  /** The message had requests before this one (a tool loop's next round): keep them. */
  continues?: boolean;
  turn: Turn;
  /** Default: the conversation's message `turn.messageId`. A compare column writes its own. */
  sink?: AnswerSink;
  /** The answer so far, when a tool loop carries on in it. */
  initial?: Parameters<typeof createTurnState>[0];
}): void {
  const state = createTurnState(initial);
  const where = { conversationId: turn.conversationId, id: turn.messageId };
  const write: AnswerSink = sink ?? ((answer) => updateMessage({ ...where, ...answer }));
  let checkpoint: Promise<void> | undefined;
  let lastSave = Date.now();

  const save = () => {
    lastSave = Date.now();
    const { parts, metadata } = state.snapshot();
    checkpoint = write({ parts, metadata }).then(
      () => {
        checkpoint = undefined;
      },
      (error: unknown) => {
        checkpoint = undefined;
        log.warn("turn.checkpoint_failed", describeError(error));
      },
    );
  };

  void (async () => {
    try {
      const reader = upstream.getReader();
      // The AI SDK sends an error chunk before the metadata that carries the coded error, and
      // a browser stops reading at the error chunk: it goes out after that metadata instead.
      let heldError: UIMessageChunk | undefined;
      const emit = (chunk: UIMessageChunk) => {
        publisher.publish(chunk);
        state.apply(chunk);
      };
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        if (next.value.type === "error") {
          heldError = next.value;
          continue;
        }
        emit(next.value);
        if (heldError && next.value.type === "message-metadata") {
          emit(heldError);
          heldError = undefined;
        }
        // At most one checkpoint in flight: a slow database never holds up the chunks.
        if (!checkpoint && Date.now() - lastSave >= CHECKPOINT_MS) save();
      }
      if (heldError) emit(heldError);
    } catch (error) {
      log.error("turn.failed", describeError(error));
    }
    await checkpoint;
    const { parts, metadata = {} } = state.snapshot();
    const status: MessageStatus = aborted()
      ? "stopped"
      : metadata.status === "error"
        ? "error"
        : "done";
    const message = {
      id: turn.messageId,
      role: "assistant",
      parts,
      metadata,
    } as ThinkpaneUIMessage;
    try {
      await write({ parts, metadata: { ...metadata, status }, status });
    } catch (error) {
      // The class only: a database error's message can quote the turn's text.
      log.error("turn.failed", describeError(error));
    }
    await Promise.all([
      recorder ? keepExchange(turn, recorder, continues) : undefined,
      account(turn, message, status),
    ]);
    await slot
      .release()
      .catch((error: unknown) => log.warn("limits.release_failed", describeError(error)));
    await publisher.end();
  })();
}

/**
 * Books a finished turn: its tokens against the owner's daily budget and a row in the usage
 * ledger. Stopped and failed turns count too, with estimates when the upstream sent no usage.
 */
async function account(
  turn: Turn,
  message: ThinkpaneUIMessage,
  status: MessageStatus,
): Promise<void> {
  const tokens = turnTokens(message, turn.promptEstimate);
  const [spent, recorded] = await Promise.allSettled([
    limits().spend(
      { owner: turn.ownerId, address: turn.address },
      {
        tokens: tokens.promptTokens + tokens.completionTokens,
        costUsd: message.metadata?.costUsd,
      },
    ),
    recordUsage({
      entry: {
        ownerId: turn.ownerId,
        conversationId: turn.conversationId,
        messageId: turn.messageId,
        model: turn.model,
        status,
        ...tokens,
        costUsd: message.metadata?.costUsd ?? null,
      },
    }),
  ]);
  if (spent.status === "rejected") log.warn("usage.budget_failed", describeError(spent.reason));
  if (recorded.status === "rejected")
    log.error("usage.ledger_failed", describeError(recorded.reason));
}

/** Saves the turn's raw exchange; a failure costs Inspect its view of this turn, nothing else. */
async function keepExchange(
  turn: Turn,
  recorder: ExchangeRecorder,
  continues: boolean,
): Promise<void> {
  try {
    await saveExchange({
      conversationId: turn.conversationId,
      messageId: turn.messageId,
      exchange: await recorder.finish(),
      append: continues,
    });
  } catch (error) {
    log.error("turn.exchange_failed", describeError(error));
  }
}
