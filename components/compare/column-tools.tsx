"use client";

import { useId } from "react";
import { ToolChoiceSelect } from "@/components/playground/tool-controls";
import { choiceAfterEdit, type ToolChoice, type ToolDef } from "@/lib/tools/schema";

/**
 * A column's functions, when its settings have any (from the playground or a preset): each can be
 * switched off for this column, and its tool choice set, to compare with and without a tool.
 * Defining functions stays the panel's job.
 */
export function ColumnTools({
  tools,
  choice,
  disabled,
  onChange,
}: {
  tools: readonly ToolDef[];
  choice: ToolChoice | undefined;
  disabled: boolean;
  onChange: (next: { tools: ToolDef[]; tool_choice: ToolChoice | undefined }) => void;
}) {
  const choiceId = useId();
  return (
    <fieldset className="flex flex-col gap-1 rounded-md border px-2 py-1">
      <legend className="px-1 text-xs font-medium">Tools</legend>
      {tools.map((tool, index) => (
        <label key={tool.name} className="flex items-center gap-2 text-xs">
          <input
            type="checkbox"
            checked={tool.enabled}
            disabled={disabled}
            onChange={(e) => {
              const next = tools.map((t, i) =>
                i === index ? { ...t, enabled: e.target.checked } : t,
              );
              onChange({ tools: next, tool_choice: choiceAfterEdit(choice, next) });
            }}
          />
          <span>
            Use <code className="font-semibold">{tool.name}</code>
          </span>
        </label>
      ))}
      <label htmlFor={choiceId} className="text-xs font-medium">
        Tool choice
      </label>
      <ToolChoiceSelect
        id={choiceId}
        disabled={disabled}
        value={choice}
        tools={tools}
        onChange={(next) => onChange({ tools: [...tools], tool_choice: next })}
      />
    </fieldset>
  );
}
