import { formatCost, formatDuration, formatRate, formatTokens } from "@/lib/format";
import type { TurnMetadata } from "@/lib/types";

/** Tokens, both times to first token, speed, total time and cost of one assistant turn. */
export function UsageLine({ metadata }: { metadata: TurnMetadata | undefined }) {
  if (!metadata) return null;
  const usage = metadata.usage;
  const items: { label: string; value: string | undefined }[] = [
    { label: "Prompt", value: formatTokens(usage?.promptTokens) },
    { label: "Reasoning", value: formatTokens(usage?.reasoningTokens) },
    { label: "Answer", value: formatTokens(usage?.answerTokens) },
    { label: "First reasoning token", value: formatDuration(metadata.firstReasoningMs) },
    { label: "First answer token", value: formatDuration(metadata.firstAnswerMs) },
    { label: "Speed", value: formatRate(metadata.tokensPerSecond) },
    { label: "Total", value: formatDuration(metadata.totalMs) },
    { label: "Cost", value: formatCost(metadata.costUsd) },
    {
      // The preset and version the request was sent with, as the server recorded it.
      label: "Preset",
      value: metadata.preset
        ? `${metadata.preset.name} v${metadata.preset.version}${metadata.preset.modified ? " (modified)" : ""}`
        : undefined,
    },
    {
      label: "Finish",
      value:
        metadata.finishReason && metadata.finishReason !== "stop"
          ? metadata.finishReason
          : undefined,
    },
  ];
  const shown = items.filter((item) => item.value !== undefined);
  if (shown.length === 0) return null;
  return (
    <dl
      role="group"
      aria-label="Usage"
      className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground tabular-nums"
    >
      {shown.map((item) => (
        <div key={item.label} className="flex gap-1">
          <dt>{item.label}</dt>
          <dd className="font-medium text-foreground/80">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
