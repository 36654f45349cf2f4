"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { parseJson } from "@/lib/structured/json-syntax";
import { formatSchemaText } from "@/lib/structured/templates";
import { TOOL_NAME_PATTERN, type ToolDef } from "@/lib/tools/schema";
import { toolTemplates } from "@/lib/tools/templates";
import { JsonTextField } from "./json-text-field";
import { inputClass } from "./param-field";

const EMPTY_PARAMETERS = formatSchemaText({
  type: "object",
  properties: {},
  required: [],
  additionalProperties: false,
});

type Props = {
  initial: ToolDef | undefined;
  /** Names the other tools use: a name is one function's. */
  takenNames: string[];
  onSave: (tool: ToolDef) => void;
  cancel: React.ReactNode;
};

/** Name, description, parameters (a JSON Schema object) and a mock result, or a template. */
export function ToolForm({ initial, takenNames, onSave, cancel }: Props) {
  const id = useId();
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [parameters, setParameters] = useState(
    initial ? formatSchemaText(initial.parameters) : EMPTY_PARAMETERS,
  );
  const [mock, setMock] = useState(initial?.mock ?? "");

  const parsed = parseJson(parameters);
  const nameError = !TOOL_NAME_PATTERN.test(name)
    ? "Use 1-64 letters, digits, _ or -."
    : takenNames.includes(name)
      ? "Another tool has this name."
      : undefined;
  const schemaError = !parsed.ok
    ? "Fix the JSON first."
    : typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)
      ? 'Parameters must be a JSON Schema object, e.g. {"type": "object", ...}.'
      : undefined;

  const onTemplate = (templateId: string) => {
    const template = toolTemplates.find((t) => t.id === templateId)?.tool;
    if (!template) return;
    setName(template.name);
    setDescription(template.description ?? "");
    setParameters(formatSchemaText(template.parameters));
    setMock(template.mock ?? "");
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (nameError || schemaError || !parsed.ok) return;
    onSave({
      name,
      ...(description.trim() ? { description: description.trim() } : {}),
      parameters: parsed.value as Record<string, unknown>,
      enabled: initial?.enabled ?? true,
      ...(mock.trim() ? { mock } : {}),
    });
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Tool">
      <label className="flex flex-col gap-1 text-xs font-medium">
        Template
        <select value="" onChange={(e) => onTemplate(e.target.value)} className={inputClass}>
          <option value="">Start from a template…</option>
          {toolTemplates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-name`} className="text-xs font-medium">
          Name
        </label>
        <input
          id={`${id}-name`}
          value={name}
          placeholder="get_weather"
          spellCheck={false}
          aria-invalid={name !== "" && nameError ? true : undefined}
          aria-describedby={`${id}-name-help`}
          onChange={(e) => setName(e.target.value)}
          className={`${inputClass} font-mono`}
        />
        <p
          id={`${id}-name-help`}
          className={`text-xs ${name !== "" && nameError ? "text-destructive" : "text-muted-foreground"}`}
        >
          {name !== "" && nameError ? nameError : "The function's name, as the model will call it."}
        </p>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-description`} className="text-xs font-medium">
          Description
        </label>
        <textarea
          id={`${id}-description`}
          rows={2}
          value={description}
          placeholder="What it does and when to call it: the model decides from this."
          onChange={(e) => setDescription(e.target.value)}
          className={inputClass}
        />
      </div>
      <JsonTextField
        id={`${id}-parameters`}
        label="Parameters"
        text={parameters}
        onText={setParameters}
        rows={9}
      />
      {parsed.ok && schemaError ? <p className="text-xs text-destructive">{schemaError}</p> : null}
      <JsonTextField
        id={`${id}-mock`}
        label="Mock result"
        text={mock}
        onText={setMock}
        rows={3}
        lenient
      />
      <p className="-mt-2 text-xs text-muted-foreground">
        Optional: pre-fills the result form of each call, and Auto-submit mocks sends it.
      </p>
      <div className="flex justify-end gap-2">
        {cancel}
        <Button type="submit" disabled={Boolean(nameError || schemaError)}>
          Save tool
        </Button>
      </div>
    </form>
  );
}
