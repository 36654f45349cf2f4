import type { ComparisonWithRuns } from "@/lib/db/comparisons";
import { readTurnMetadata, type ThinkpaneUIMessage } from "@/lib/types";

/** A stored comparison as the Compare view opens it: columns, and answers by column and run. */
export function toSavedComparison(comparison: ComparisonWithRuns) {
  const { spec } = comparison;
  const runs = spec.columns.map((_, column) =>
    Array.from({ length: spec.runsPerColumn }, (_, run) => {
      const row = comparison.runs.find((r) => r.column === column && r.run === run);
      const metadata = readTurnMetadata(row?.metadata).metadata ?? {};
      const message: ThinkpaneUIMessage = {
        id: `${comparison.id}:${column}:${run}`,
        role: "assistant",
        parts: row?.parts ?? [],
        metadata: row ? { ...metadata, status: row.status } : metadata,
      };
      return { message, streaming: false };
    }),
  );
  return {
    id: comparison.id,
    prompt: spec.prompt,
    system: spec.system ?? "",
    columns: spec.columns.map((c) => ({
      settings: c.settings,
      overrideSystem: c.overrideSystem ?? false,
    })),
    runsPerColumn: spec.runsPerColumn,
    sequential: spec.sequential,
    runs,
  };
}
