import { z } from "zod";
import type { ShareOptions } from "@/lib/conversations/portable";
import type { ComparisonWithRuns } from "@/lib/db/comparisons";
import type { ComparisonSnapshot, ShareSnapshot } from "@/lib/db/schema";
import { ThinkpaneError, defaultMessageOf } from "@/lib/errors";
import { formatCost, formatDuration, formatRate, formatTokens } from "@/lib/format";
import { params as paramDescriptors, type ParamKey, type Settings } from "@/lib/params";
import type { ThinkpaneUIMessage, TurnMetadata } from "@/lib/types";

/** Exports of a comparison (JSON, Markdown) and the frozen copy a share link shows. */

export const COMPARISON_FORMAT = "thinkpane.comparison";

type Part = ThinkpaneUIMessage["parts"][number];

export function toComparisonJson(comparison: ComparisonWithRuns) {
  const { spec } = comparison;
  return {
    format: COMPARISON_FORMAT,
    version: 1 as const,
    title: comparison.title,
    createdAt: comparison.createdAt.toISOString(),
    prompt: spec.prompt,
    ...(spec.system !== undefined ? { system: spec.system } : {}),
    runsPerColumn: spec.runsPerColumn,
    sequential: spec.sequential,
    columns: spec.columns.map((column, c) => ({
      settings: column.settings,
      overrideSystem: column.overrideSystem ?? false,
      runs: comparison.runs
        .filter((r) => r.column === c)
        .map((r) => ({ parts: r.parts, metadata: r.metadata ?? undefined, status: r.status })),
    })),
  };
}

const textOf = (parts: Part[], type: "text" | "reasoning") =>
  parts.map((p) => (p.type === type ? p.text : "")).join("");

const quote = (text: string) =>
  text
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n");

/** "Reasoning effort: "low" · Temperature: 1". */
export function describeParams(settings: Settings): string {
  return (Object.entries(settings.params ?? {}) as [ParamKey, unknown][])
    .map(([key, value]) => `${paramDescriptors[key]?.label ?? key}: ${JSON.stringify(value)}`)
    .join(" · ");
}

function figures(metadata: TurnMetadata | null | undefined): string {
  if (!metadata) return "";
  return [
    ["Reasoning", formatTokens(metadata.usage?.reasoningTokens)],
    ["Answer", formatTokens(metadata.usage?.answerTokens)],
    ["First answer token", formatDuration(metadata.firstAnswerMs)],
    ["Speed", formatRate(metadata.tokensPerSecond)],
    ["Total", formatDuration(metadata.totalMs)],
    ["Cost", formatCost(metadata.costUsd)],
    ["Finish", metadata.finishReason],
  ]
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v}`)
    .join(" · ");
}

export function toComparisonMarkdown(comparison: ComparisonWithRuns): string {
  const { spec } = comparison;
  const out = [`# ${comparison.title}`, "", "Prompt:", "", quote(spec.prompt), ""];
  if (spec.system?.trim()) out.push("System prompt:", "", quote(spec.system), "");
  for (const [c, column] of spec.columns.entries()) {
    out.push(`## Column ${c + 1}: \`${column.settings.model}\``, "");
    const described = describeParams(column.settings);
    if (described) out.push(`Parameters: ${described}`, "");
    if (column.overrideSystem && column.settings.system?.trim())
      out.push("Own system prompt:", "", quote(column.settings.system), "");
    for (const run of comparison.runs.filter((r) => r.column === c)) {
      if (spec.runsPerColumn > 1) out.push(`### Answer ${run.run + 1}`, "");
      const reasoning = textOf(run.parts, "reasoning");
      if (reasoning) out.push("**Reasoning** (raw model reasoning)", "", quote(reasoning), "");
      out.push(textOf(run.parts, "text") || "_No answer._", "");
      const line = figures(run.metadata);
      if (line) out.push(`_${line}_`, "");
      if (run.status !== "done") out.push(`_Answer ${run.status}._`, "");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** A run's metadata as anyone may read it: errors without operator hints. */
function publicMetadata(metadata: TurnMetadata | null, includeSettings: boolean) {
  if (!metadata) return undefined;
  const { error, ...rest } = metadata;
  const code = error ? ThinkpaneError.fromUnknown(error).code : undefined;
  return {
    ...rest,
    ...(includeSettings ? {} : { model: undefined, preset: undefined }),
    ...(code ? { error: { code, message: defaultMessageOf(code) } } : {}),
  };
}

/**
 * The frozen copy a comparison's share link shows: reasoning, settings and system prompts only
 * when chosen, nothing about the owner.
 */
export function toComparisonSnapshot(
  comparison: ComparisonWithRuns,
  options: Pick<ShareOptions, "includeReasoning" | "includeSettings" | "includeSystemPrompt">,
): ShareSnapshot {
  const { spec } = comparison;
  const system = options.includeSettings && options.includeSystemPrompt;
  const snapshot: ComparisonSnapshot = {
    spec: {
      prompt: spec.prompt,
      ...(system && spec.system !== undefined ? { system: spec.system } : {}),
      runsPerColumn: spec.runsPerColumn,
      sequential: spec.sequential,
      columns: spec.columns.map((column) => ({
        settings: options.includeSettings
          ? {
              model: column.settings.model,
              params: column.settings.params,
              ...(system && column.overrideSystem ? { system: column.settings.system } : {}),
            }
          : { model: "", params: {} },
        overrideSystem: system && column.overrideSystem,
      })),
    },
    runs: comparison.runs.map((r) => ({
      column: r.column,
      run: r.run,
      parts: options.includeReasoning ? r.parts : r.parts.filter((p) => p.type !== "reasoning"),
      metadata: publicMetadata(r.metadata, options.includeSettings),
      status: r.status,
    })),
  };
  return {
    title: comparison.title,
    createdAt: comparison.createdAt.toISOString(),
    messages: [],
    comparison: snapshot,
  };
}

export const continueSchema = z
  .object({ column: z.number().int().min(0).max(3), run: z.number().int().min(0).max(9) })
  .strict();
