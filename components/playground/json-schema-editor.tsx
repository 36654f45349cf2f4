"use client";

import { WandSparkles } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Switch } from "@/components/ui/switch";
import { describeSyntaxError, parseJson } from "@/lib/structured/json-syntax";
import { formatSchemaText, schemaTemplates } from "@/lib/structured/templates";
import { cn } from "@/lib/utils";
import { inputClass } from "./param-field";

type Props = {
  id: string;
  name: string;
  strict: boolean;
  text: string;
  onName: (name: string) => void;
  onStrict: (strict: boolean) => void;
  onText: (text: string, name?: string) => void;
};

/**
 * The json_schema editor of the response format control: loaded when JSON schema is chosen
 * (the `/` page's first load stays within its budget). JSON errors show by line and column as
 * you type.
 */
export function JsonSchemaEditor({ id, name, strict, text, onName, onStrict, onText }: Props) {
  const syntax = parseJson(text);
  const onTemplate = (templateId: string) => {
    const template = schemaTemplates.find((t) => t.id === templateId);
    if (template) onText(formatSchemaText(template.schema), template.name);
  };
  return (
    <div className="flex flex-col gap-2 rounded-md border p-2">
      <label className="flex flex-col gap-1 text-xs font-medium">
        Schema template
        <select value="" onChange={(e) => onTemplate(e.target.value)} className={inputClass}>
          <option value="">Start from a template…</option>
          {schemaTemplates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium">
        Schema name
        <input
          type="text"
          value={name}
          onChange={(e) => onName(e.target.value)}
          className={inputClass}
        />
      </label>
      <div className="flex items-center justify-between gap-2">
        <label htmlFor={`${id}-schema`} className="text-xs font-medium">
          JSON schema
        </label>
        <Button
          variant="ghost"
          size="sm"
          disabled={!syntax.ok}
          title="Indent the schema, two spaces a level"
          onClick={() => syntax.ok && onText(formatSchemaText(syntax.value))}
        >
          <WandSparkles aria-hidden />
          Format
        </Button>
      </div>
      <textarea
        id={`${id}-schema`}
        rows={10}
        value={text}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        aria-invalid={syntax.ok ? undefined : true}
        aria-describedby={syntax.ok ? undefined : `${id}-syntax`}
        onChange={(e) => onText(e.target.value)}
        className={cn(inputClass, "resize-y font-mono text-xs leading-5 whitespace-pre")}
      />
      {syntax.ok ? null : (
        <p id={`${id}-syntax`} className="font-mono text-xs text-destructive">
          JSON error at {describeSyntaxError(syntax.error)}
        </p>
      )}
      <div className="flex items-center gap-2 text-xs font-medium">
        <Switch id={`${id}-strict`} checked={strict} onCheckedChange={onStrict} />
        <label htmlFor={`${id}-strict`}>Strict</label>
        <span className="font-normal text-muted-foreground">
          every property required, no others
        </span>
      </div>
    </div>
  );
}
