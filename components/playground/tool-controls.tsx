"use client";

import { Pencil, Plus, Trash2 } from "lucide-react";
import { type ComponentProps, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import { Switch } from "@/components/ui/switch";
import { params } from "@/lib/params";
import { useSettings } from "@/lib/store/settings";
import { choiceAfterEdit, forcedToolName, type ToolChoice, type ToolDef } from "@/lib/tools/schema";
import { inputClass } from "./param-field";
import { ParamRow } from "./param-controls";
import { ToolForm } from "./tool-form";

const modes = [
  { value: "auto", label: "auto: the model decides" },
  { value: "none", label: "none: no calls" },
  { value: "required", label: "required: at least one call" },
] as const;

/**
 * The `tool_choice` select: unset, a mode, or one of the enabled functions by name. Shared by the
 * panel and Compare's columns.
 */
export function ToolChoiceSelect({
  value,
  tools,
  onChange,
  ...props
}: {
  value: ToolChoice | undefined;
  tools: readonly ToolDef[] | undefined;
  onChange: (choice: ToolChoice | undefined) => void;
} & Omit<ComponentProps<"select">, "value" | "onChange">) {
  const named = forcedToolName(value);
  const selected = named ? `function:${named}` : typeof value === "string" ? value : "";
  return (
    <select
      {...props}
      value={selected}
      onChange={(e) => {
        const next = e.target.value;
        onChange(
          next === ""
            ? undefined
            : next.startsWith("function:")
              ? { type: "function", function: { name: next.slice("function:".length) } }
              : (next as "auto" | "none" | "required"),
        );
      }}
      className={inputClass}
    >
      <option value="">Not set (upstream default)</option>
      {modes.map((m) => (
        <option key={m.value} value={m.value}>
          {m.label}
        </option>
      ))}
      {(tools ?? [])
        .filter((t) => t.enabled)
        .map((t) => (
          <option key={t.name} value={`function:${t.name}`}>
            Call {t.name}
          </option>
        ))}
    </select>
  );
}

export function ToolChoiceControl() {
  const value = useSettings((s) => s.params.tool_choice);
  const tools = useSettings((s) => s.params.tools);
  const setParam = useSettings((s) => s.setParam);
  const unset = useSettings((s) => s.unsetParam);
  const id = useId();
  return (
    <ParamRow paramKey="tool_choice" inputId={id} helpId={`${id}-help`}>
      <ToolChoiceSelect
        id={id}
        aria-describedby={`${id}-help`}
        value={value}
        tools={tools}
        onChange={(choice) =>
          choice === undefined ? unset("tool_choice") : setParam("tool_choice", choice)
        }
      />
    </ParamRow>
  );
}

type Editing = { index: number | undefined };

/**
 * The functions the model may call: each can be edited, switched off (kept, not sent) and
 * removed. A tool_choice that names a function follows it: switched off or removed, the choice
 * is unset rather than sent for a function the request does not define.
 */
export function ToolsControl() {
  const tools = useSettings((s) => s.params.tools) ?? [];
  const choice = useSettings((s) => s.params.tool_choice);
  const setParam = useSettings((s) => s.setParam);
  const unset = useSettings((s) => s.unsetParam);
  const autoSubmit = useSettings((s) => s.autoSubmitMocks);
  const setAutoSubmit = useSettings((s) => s.setAutoSubmitMocks);
  const [editing, setEditing] = useState<Editing>();
  const autoId = useId();

  const save = (next: ToolDef[]) => {
    if (choiceAfterEdit(choice, next) === undefined && choice !== undefined) unset("tool_choice");
    if (next.length === 0) unset("tools");
    else setParam("tools", next);
  };
  const onSaved = (tool: ToolDef) => {
    const index = editing?.index;
    save(index === undefined ? [...tools, tool] : tools.map((t, i) => (i === index ? tool : t)));
    setEditing(undefined);
  };

  return (
    <div className="flex flex-col gap-2" data-param="tools">
      <div className="flex min-h-7 items-center gap-2">
        <h3 className="text-sm font-medium">Functions</h3>
        <code className="text-[11px] text-muted-foreground">tools</code>
        <span className="ml-auto text-[11px] text-muted-foreground">
          {tools.length === 0 ? "none" : `${tools.filter((t) => t.enabled).length} on`}
        </span>
      </div>
      {tools.length > 0 ? (
        <ul aria-label="Functions" className="flex flex-col gap-1">
          {tools.map((tool, index) => (
            <li key={tool.name} className="flex items-center gap-2 rounded-md border px-2 py-1">
              <Switch
                checked={tool.enabled}
                aria-label={`Use ${tool.name}`}
                onCheckedChange={(enabled) =>
                  save(tools.map((t, i) => (i === index ? { ...t, enabled } : t)))
                }
              />
              <span className="min-w-0 flex-1">
                <code className="block truncate text-xs font-semibold">{tool.name}</code>
                {tool.mock ? (
                  <span className="text-[11px] text-muted-foreground">mock result saved</span>
                ) : null}
              </span>
              <Button
                variant="ghost"
                size="icon-sm"
                aria-label={`Edit ${tool.name}`}
                onClick={() => setEditing({ index })}
              >
                <Pencil aria-hidden />
              </Button>
              <Button
                variant="ghost"
                size="icon-sm"
                aria-label={`Remove ${tool.name}`}
                onClick={() => save(tools.filter((_, i) => i !== index))}
              >
                <Trash2 aria-hidden />
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <Button variant="outline" size="sm" onClick={() => setEditing({ index: undefined })}>
        <Plus aria-hidden />
        Add tool
      </Button>
      <p className="text-xs text-muted-foreground">{params.tools.help}</p>
      <div className="flex items-center gap-2 text-sm">
        <Switch id={autoId} checked={autoSubmit} onCheckedChange={setAutoSubmit} />
        <label htmlFor={autoId}>Auto-submit mocks</label>
      </div>
      <p className="text-xs text-muted-foreground">
        Answer calls with the tools&apos; saved mock results, without asking: up to 8 rounds per
        message you send.
      </p>
      <Dialog open={editing !== undefined} onOpenChange={(open) => !open && setEditing(undefined)}>
        {editing ? (
          <DialogContent
            title={editing.index === undefined ? "Add tool" : "Edit tool"}
            description="A function the model may call. You answer its calls, or its mock result does."
            className="w-[min(40rem,calc(100vw-2rem))]"
          >
            <ToolForm
              initial={editing.index === undefined ? undefined : tools[editing.index]}
              takenNames={tools.filter((_, i) => i !== editing.index).map((t) => t.name)}
              onSave={onSaved}
              cancel={
                <DialogClose asChild>
                  <Button variant="ghost">Cancel</Button>
                </DialogClose>
              }
            />
          </DialogContent>
        ) : null}
      </Dialog>
    </div>
  );
}
