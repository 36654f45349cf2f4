import "server-only";
import type { UIMessageChunk } from "ai";
import { runGeneration } from "@/lib/chat/run";
import { titleFromText } from "@/lib/db/conversations";
import {
  type ComparisonWithRuns,
  getComparison,
  runId,
  saveComparison,
  saveComparisonRun,
} from "@/lib/db/comparisons";
import { ThinkpaneError } from "@/lib/errors";
import { generationBus, type GenerationPublisher } from "@/lib/generation";
import { columnRunKey } from "@/lib/generation/key";
import { limits, type Slot } from "@/lib/limits";
import { newId } from "@/lib/ids";
import type { Settings } from "@/lib/params";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { streamChat } from "@/lib/upstream/chat";
import { checkOutputBudget, resolveModel } from "@/lib/upstream/registry";
import { estimatePrompt } from "@/lib/usage/tokens";
import type { ComparisonSpecInput } from "./schema";

/**
 * Compare: one prompt under several settings. Each answer of each column is a generation of its
 * own (owner-scoped key on the generation bus), admitted by the limits like a chat turn and sent
 * by the same upstream call (streamChat), so Stop, follow and the wire body work as for a turn.
 */

type Owner = { ownerId: string; address?: string };
type ColumnRun = Owner & { comparisonId: string; column: number; run: number };

/** Saves a comparison before a Run: its settings replace the old ones, its answers are cleared. */
export async function saveComparisonSpec({
  id,
  ownerId,
  spec,
}: {
  id: string;
  ownerId: string;
  spec: ComparisonSpecInput;
}): Promise<void> {
  await saveComparison({ id, ownerId, title: titleFromText(spec.prompt), spec });
}

/** The settings a column's request goes with: its own system prompt only when it overrides. */
export function columnSettings(spec: ComparisonSpecInput, column: number): Settings {
  const col = spec.columns[column];
  if (!col)
    throw new ThinkpaneError("bad_request:invalid_body", {
      message: "There is no such column.",
      details: { field: "column" },
    });
  const system = col.overrideSystem ? col.settings.system : spec.system;
  return { ...col.settings, system: system?.trim() ? system : undefined };
}

/** The conversation a column's request sends: the prompt as one user message. */
function promptMessages(prompt: string): ThinkpaneUIMessage[] {
  return [{ id: newId(), role: "user", parts: [{ type: "text", text: prompt }], metadata: {} }];
}

/** Starts one answer of one column and returns the stream of its chunks. */
export async function startColumnRun(input: ColumnRun): Promise<ReadableStream<UIMessageChunk>> {
  const comparison = await getComparison({ id: input.comparisonId, ownerId: input.ownerId });
  if (!comparison) throw new ThinkpaneError("not_found");
  const { spec } = comparison;
  const settings = columnSettings(spec, input.column);
  if (input.run >= spec.runsPerColumn)
    throw new ThinkpaneError("bad_request:invalid_body", {
      message: "There is no such run.",
      details: { field: "run" },
    });
  const model = resolveModel(settings.model);
  checkOutputBudget(model, settings.params);
  const key = columnRunKey(input);
  const bus = generationBus();
  const unclaim = await bus.claim(key);
  if (!unclaim) throw new ThinkpaneError("conflict:generating");
  let slot: Slot;
  try {
    slot = await limits().admit({ owner: input.ownerId, address: input.address });
  } catch (error) {
    await unclaim();
    throw error;
  }
  const where = { comparisonId: input.comparisonId, column: input.column, run: input.run };
  const controller = new AbortController();
  let publisher: GenerationPublisher | undefined;
  try {
    await saveComparisonRun({
      ...where,
      parts: [],
      metadata: { model: model.id },
      status: "streaming",
    });
    publisher = await bus.begin(key, () => controller.abort());
    const messages = promptMessages(spec.prompt);
    const upstream = await streamChat({
      model,
      settings,
      messages,
      abortSignal: controller.signal,
      messageId: runId(input.comparisonId, input.column, input.run),
    });
    runGeneration({
      upstream,
      publisher,
      slot,
      aborted: () => controller.signal.aborted,
      turn: {
        ownerId: input.ownerId,
        address: input.address,
        conversationId: input.comparisonId,
        messageId: runId(input.comparisonId, input.column, input.run),
        model: model.id,
        promptEstimate: estimatePrompt(messages, settings.system),
      },
      sink: (answer) =>
        saveComparisonRun({ ...where, ...answer, status: answer.status ?? "streaming" }),
    });
  } catch (error) {
    controller.abort();
    await slot.release();
    if (publisher) await publisher.end();
    else await unclaim();
    throw error;
  }
  const stream = await bus.subscribe(key);
  if (!stream)
    throw new ThinkpaneError("internal:unexpected", {
      message: "The generation ended before it could be followed.",
    });
  return stream;
}

/** Stop: every running answer of the comparison; how many were running. */
export async function stopComparison({
  id,
  ownerId,
}: {
  id: string;
  ownerId: string;
}): Promise<number> {
  const comparison = await getComparison({ id, ownerId });
  if (!comparison) throw new ThinkpaneError("not_found");
  const bus = generationBus();
  const stops = comparison.spec.columns.flatMap((_, column) =>
    Array.from({ length: comparison.spec.runsPerColumn }, (_, run) =>
      bus.requestStop(columnRunKey({ ownerId, comparisonId: id, column, run })),
    ),
  );
  return (await Promise.all(stops)).filter(Boolean).length;
}

/**
 * The owner's comparison; an answer left "streaming" by a process that is gone (a restart)
 * reads as interrupted.
 */
export async function loadComparison({
  id,
  ownerId,
}: {
  id: string;
  ownerId: string;
}): Promise<ComparisonWithRuns | undefined> {
  const comparison = await getComparison({ id, ownerId });
  if (!comparison) return undefined;
  const bus = generationBus();
  const runs = await Promise.all(
    comparison.runs.map(async (run) => {
      if (run.status !== "streaming") return run;
      const key = columnRunKey({ ownerId, comparisonId: id, column: run.column, run: run.run });
      if (await bus.isActive(key)) return run;
      return { ...run, status: "interrupted" as const };
    }),
  );
  return { ...comparison, runs };
}
