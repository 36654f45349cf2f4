"use client";

import { ChevronLeft, ChevronRight, MessageSquarePlus, X } from "lucide-react";
import { memo, useMemo, useState } from "react";
import { AssistantTurn } from "@/components/playground/assistant-turn";
import { TurnError } from "@/components/playground/turn-error";
import { Button } from "@/components/ui/button";
import type { Settings } from "@/lib/params";
import type { PublicModel } from "@/lib/types";
import { ColumnSettings } from "./column-settings";
import type { RunView } from "./use-compare-runs";

export type ColumnSpec = { settings: Settings; overrideSystem: boolean };

/**
 * One column: its settings, and its answers with a switcher when it has several. Memoised: a
 * column re-renders when its own answer changes, not when another column's does.
 */
export const ColumnPanel = memo(function ColumnPanel({
  index,
  column,
  runs,
  models,
  busy,
  canRemove,
  reasoningCollapsed,
  onChange,
  onRemove,
  onContinue,
}: {
  index: number;
  column: ColumnSpec;
  runs: RunView[];
  models: PublicModel[];
  busy: boolean;
  canRemove: boolean;
  reasoningCollapsed: boolean;
  onChange: (index: number, next: ColumnSpec) => void;
  onRemove: (index: number) => void;
  /** Continue in playground with this column's settings and the shown answer; when saved. */
  onContinue?: (index: number, run: number) => void;
}) {
  const [chosen, setChosen] = useState(0);
  const shown = Math.min(chosen, Math.max(0, runs.length - 1));
  const view = runs[shown];
  const name = `Column ${index + 1}`;
  // The form does not change while answers stream: it is not rendered again with each update.
  const settingsForm = useMemo(
    () => (
      <ColumnSettings
        settings={column.settings}
        overrideSystem={column.overrideSystem}
        models={models}
        disabled={busy}
        onChange={(next) => onChange(index, next)}
      />
    ),
    [column, models, busy, index, onChange],
  );
  return (
    <section
      aria-label={name}
      className="@container flex min-w-0 flex-col gap-3 rounded-lg border bg-background p-3"
    >
      <header className="flex items-center gap-2">
        <h2 className="text-sm font-semibold">{name}</h2>
        {canRemove ? (
          <Button
            variant="ghost"
            size="sm"
            className="ml-auto"
            disabled={busy}
            onClick={() => onRemove(index)}
            aria-label={`Remove column ${index + 1}`}
          >
            <X aria-hidden />
            Remove column
          </Button>
        ) : null}
      </header>
      {settingsForm}
      {runs.length > 1 ? (
        <nav aria-label={`Answers of column ${index + 1}`} className="flex items-center gap-1">
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label="Previous answer"
            disabled={shown === 0}
            onClick={() => setChosen(shown - 1)}
          >
            <ChevronLeft aria-hidden />
          </Button>
          <span className="text-xs tabular-nums" aria-live="polite">
            {shown + 1} / {runs.length}
          </span>
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label="Next answer"
            disabled={shown >= runs.length - 1}
            onClick={() => setChosen(shown + 1)}
          >
            <ChevronRight aria-hidden />
          </Button>
        </nav>
      ) : null}
      {view?.pending ? (
        <p className="rounded-lg border border-dashed px-3 py-6 text-center text-sm text-muted-foreground">
          {view.pending === "queued"
            ? "Queued: this answer starts when the one before it ends."
            : "Not run: stopped before its turn."}
        </p>
      ) : view ? (
        view.error && view.message.parts.length === 0 ? (
          <TurnError error={view.error} />
        ) : (
          <AssistantTurn
            message={view.message}
            index={shown + 1}
            streaming={view.streaming}
            error={view.error}
            reasoningCollapsedGlobally={reasoningCollapsed}
          />
        )
      ) : null}
      {view && !view.streaming && onContinue && view.message.parts.length > 0 ? (
        <Button
          variant="outline"
          size="sm"
          className="self-start"
          onClick={() => onContinue(index, shown)}
        >
          <MessageSquarePlus aria-hidden />
          Continue in playground
        </Button>
      ) : null}
    </section>
  );
});
