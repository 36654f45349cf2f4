"use client";

import { Switch } from "@/components/ui/switch";
import { formatSchemaText, schemaTemplates } from "@/lib/structured/templates";
import { JsonTextField } from "./json-text-field";
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
      <JsonTextField
        id={`${id}-schema`}
        label="JSON schema"
        formatName="Format"
        text={text}
        onText={(t) => onText(t)}
      />
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
