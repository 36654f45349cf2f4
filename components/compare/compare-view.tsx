"use client";

import { Play, Plus, Square } from "lucide-react";
import { useRouter } from "next/navigation";
import { useCallback, useId, useMemo, useRef, useState } from "react";
import { usePreloadMarkdown } from "@/components/markdown/lazy-markdown";
import { Button } from "@/components/ui/button";
import { useTypedBeforeHydration } from "@/components/ui/use-typed-before-hydration";
import { MAX_COLUMNS, MAX_RUNS_PER_COLUMN, MIN_COLUMNS } from "@/lib/compare/schema";
import { runFigures } from "@/lib/compare/stats";
import { ThinkpaneError } from "@/lib/errors";
import { recommendedParams } from "@/lib/params";
import type { PublicModel } from "@/lib/types";
import { ColumnPanel, type ColumnSpec } from "./column-panel";
import { CompareHeader } from "./compare-header";
import { SummaryTable } from "./summary-table";
import { type RunView, useCompareRuns } from "./use-compare-runs";

export type SavedComparison = {
  id: string;
  prompt: string;
  system: string;
  columns: ColumnSpec[];
  runsPerColumn: number;
  sequential: boolean;
  runs: RunView[][];
};

/** The first visit: gpt-oss-120b at reasoning effort low, medium and high. */
export function defaultColumns(model: string): ColumnSpec[] {
  return (["low", "medium", "high"] as const).map((effort) => ({
    settings: { model, params: { ...recommendedParams(), reasoning_effort: effort } },
    overrideSystem: false,
  }));
}

const NO_RUNS: RunView[] = [];

const fieldClass = "w-full rounded-md border border-input bg-background px-2 py-1.5 text-sm";

/** Compare: one prompt under several settings, side by side. */
export function CompareView({
  models,
  defaultModel,
  saved,
}: {
  models: PublicModel[];
  defaultModel: string;
  saved?: SavedComparison;
}) {
  const router = useRouter();
  usePreloadMarkdown();
  const promptId = useId();
  const systemId = useId();
  const runsId = useId();
  const [id, setId] = useState(saved?.id);
  const [prompt, setPrompt] = useState(saved?.prompt ?? "");
  const [system, setSystem] = useState(saved?.system ?? "");
  const promptRef = useRef<HTMLTextAreaElement>(null);
  const systemRef = useRef<HTMLTextAreaElement>(null);
  useTypedBeforeHydration(promptRef, prompt, setPrompt);
  useTypedBeforeHydration(systemRef, system, setSystem);
  const [columns, setColumns] = useState<ColumnSpec[]>(
    saved?.columns ?? defaultColumns(defaultModel),
  );
  const [runsPerColumn, setRunsPerColumn] = useState(saved?.runsPerColumn ?? 1);
  const [sequential, setSequential] = useState(saved?.sequential ?? false);
  const [error, setError] = useState<ThinkpaneError>();
  const [reasoningCollapsed, setReasoningCollapsed] = useState(false);
  const { views, running, start, stop } = useCompareRuns(saved?.runs ?? []);

  const labels = columns.map((_, i) => `Column ${i + 1}`);
  const figures = useMemo(
    () => columns.map((_, c) => (views[c] ?? []).map((v) => runFigures(v.message.metadata))),
    [columns, views],
  );

  async function run() {
    setError(undefined);
    const runId = id ?? crypto.randomUUID();
    const body = {
      id: runId,
      prompt,
      ...(system.trim() ? { system } : {}),
      columns: columns.map((c) => ({ settings: c.settings, overrideSystem: c.overrideSystem })),
      runsPerColumn,
      sequential,
    };
    const response = await fetch("/api/compare", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      setError(ThinkpaneError.fromText(await response.text()));
      return;
    }
    setId(runId);
    window.history.replaceState(null, "", `/compare/${runId}`);
    await start(runId, columns.length, runsPerColumn, sequential);
  }

  const continueInPlayground = useCallback(
    async (column: number, run: number) => {
      if (!id) return;
      const response = await fetch(`/api/compare/${encodeURIComponent(id)}/continue`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ column, run }),
      });
      if (!response.ok) return setError(ThinkpaneError.fromText(await response.text()));
      const { conversationId } = (await response.json()) as { conversationId: string };
      router.push(`/c/${encodeURIComponent(conversationId)}`);
    },
    [id, router],
  );

  const updateColumn = useCallback(
    (index: number, next: ColumnSpec) =>
      setColumns((all) => all.map((c, i) => (i === index ? next : c))),
    [],
  );
  const removeColumn = useCallback(
    (index: number) => setColumns((all) => all.filter((_, j) => j !== index)),
    [],
  );

  return (
    <div className="flex min-h-dvh flex-col">
      <CompareHeader
        id={running ? undefined : id}
        reasoningCollapsed={reasoningCollapsed}
        onToggleReasoning={() => setReasoningCollapsed(!reasoningCollapsed)}
      />
      <main className="flex flex-col gap-4 p-3 sm:p-4">
        <form
          aria-label="Comparison settings"
          className="grid gap-3 lg:grid-cols-[2fr_1fr]"
          onSubmit={(e) => {
            e.preventDefault();
            if (!running && prompt.trim()) void run();
          }}
        >
          <div className="flex flex-col gap-1">
            <label htmlFor={promptId} className="text-sm font-medium">
              Prompt
            </label>
            <textarea
              ref={promptRef}
              id={promptId}
              rows={4}
              className={fieldClass}
              value={prompt}
              onChange={(e) => setPrompt(e.target.value)}
              placeholder="Ask the same question of every column"
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={systemId} className="text-sm font-medium">
              System prompt
            </label>
            <textarea
              ref={systemRef}
              id={systemId}
              rows={4}
              className={fieldClass}
              value={system}
              onChange={(e) => setSystem(e.target.value)}
              placeholder="Shared by every column unless it has its own"
            />
          </div>
          <div className="flex flex-wrap items-center gap-3 lg:col-span-2">
            <label className="flex items-center gap-2 text-sm" htmlFor={runsId}>
              Runs per column
            </label>
            <input
              id={runsId}
              type="number"
              min={1}
              max={MAX_RUNS_PER_COLUMN}
              className="w-16 rounded-md border border-input bg-background px-2 py-1 text-sm"
              value={runsPerColumn}
              disabled={running}
              onChange={(e) =>
                setRunsPerColumn(
                  Math.min(
                    MAX_RUNS_PER_COLUMN,
                    Math.max(1, Math.round(Number(e.target.value)) || 1),
                  ),
                )
              }
            />
            <button
              type="button"
              role="switch"
              aria-checked={sequential}
              disabled={running}
              onClick={() => setSequential(!sequential)}
              className="flex items-center gap-2 text-sm"
              title="One request at a time, for local servers that serve one at a time"
            >
              <span
                aria-hidden
                className={`inline-flex h-5 w-9 items-center rounded-full border p-0.5 ${sequential ? "justify-end bg-primary" : "justify-start bg-muted"}`}
              >
                <span className="size-3.5 rounded-full bg-background shadow" />
              </span>
              Sequential
            </button>
            <Button
              variant="outline"
              size="sm"
              disabled={running || columns.length >= MAX_COLUMNS}
              onClick={() => setColumns((all) => [...all, structuredClone(all.at(-1)!)])}
            >
              <Plus aria-hidden />
              Add column
            </Button>
            <span className="ml-auto flex gap-2">
              {running ? (
                <Button variant="destructive" onClick={() => id && void stop(id)}>
                  <Square aria-hidden />
                  Stop
                </Button>
              ) : (
                <Button type="submit" variant="primary" disabled={!prompt.trim()}>
                  <Play aria-hidden />
                  Run
                </Button>
              )}
            </span>
          </div>
        </form>
        {error ? (
          <p role="alert" className="text-sm text-destructive">
            {error.message}
          </p>
        ) : null}
        {/* Columns are as tall as their own content (items-start), not stretched to the tallest:
            a stretched column is laid out again whenever another one grows. */}
        <div
          className="grid items-start gap-3"
          style={{ gridTemplateColumns: `repeat(${columns.length}, minmax(18rem, 1fr))` }}
        >
          {columns.map((column, i) => (
            <ColumnPanel
              key={i}
              index={i}
              column={column}
              runs={views[i] ?? NO_RUNS}
              models={models}
              busy={running}
              canRemove={columns.length > MIN_COLUMNS}
              reasoningCollapsed={reasoningCollapsed}
              onChange={updateColumn}
              onRemove={removeColumn}
              onContinue={id ? continueInPlayground : undefined}
            />
          ))}
        </div>
        <SummaryTable labels={labels} columns={figures} />
      </main>
    </div>
  );
}
