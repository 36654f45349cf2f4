"use client";

import { WandSparkles } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Switch } from "@/components/ui/switch";
import { responseFormatSchema, type ResponseFormat } from "@/lib/params";
import { useSettings } from "@/lib/store/settings";
import { enforcementLabels, enforcementNote } from "@/lib/structured/enforcement";
import { describeSyntaxError, parseJson } from "@/lib/structured/json-syntax";
import { formatSchemaText, schemaTemplates } from "@/lib/structured/templates";
import type { PublicModel } from "@/lib/types";
import { cn } from "@/lib/utils";
import { inputClass, ParamRow } from "./param-controls";

const DEFAULT_SCHEMA = `{
  "type": "object",
  "properties": { "answer": { "type": "string" } },
  "required": ["answer"],
  "additionalProperties": false
}`;

type Props = { model: PublicModel | undefined };

/** response_format: not set, text, JSON mode, or a JSON schema with its own editor. */
export function ResponseFormatControl({ model }: Props) {
  const paramKey = "response_format";
  const value = useSettings((s) => s.params.response_format);
  const schemaDraft = useSettings((s) => s.drafts.json_schema);
  const setParam = useSettings((s) => s.setParam);
  const unset = useSettings((s) => s.unsetParam);
  const setDraft = useSettings((s) => s.setDraft);
  const id = useId();
  const [error, setError] = useState<string>();
  const [kind, setKind] = useState<string>(value?.type ?? "");
  const [seenType, setSeenType] = useState(value?.type);
  if (seenType !== value?.type) {
    setSeenType(value?.type);
    // A reset or unset from outside; keep "json_schema" selected while its schema is being fixed.
    if (value !== undefined || kind !== "json_schema") setKind(value?.type ?? "");
  }

  const schemaValue = value?.type === "json_schema" ? value.json_schema : undefined;
  const schemaText =
    schemaDraft ?? (schemaValue ? formatSchemaText(schemaValue.schema) : DEFAULT_SCHEMA);
  const [name, setName] = useState(schemaValue?.name ?? "response");
  const [strict, setStrict] = useState(schemaValue?.strict ?? true);
  const syntax = parseJson(schemaText);

  const applySchema = (next: { text?: string; name?: string; strict?: boolean }) => {
    const parsed = parseJson(next.text ?? schemaText);
    const candidate = {
      type: "json_schema",
      json_schema: {
        name: next.name ?? name,
        schema: parsed.ok ? parsed.value : undefined,
        strict: next.strict ?? strict,
      },
    };
    const checked = parsed.ok ? responseFormatSchema.safeParse(candidate) : undefined;
    const issue = checked && !checked.success ? checked.error.issues[0] : undefined;
    const problem = !parsed.ok
      ? `JSON error at ${describeSyntaxError(parsed.error)}`
      : issue
        ? `${issue.path.slice(1).join(".")}: ${issue.message}`
        : undefined;
    setError(problem);
    // While the schema does not validate, nothing is sent rather than an older format.
    if (!problem && checked?.success) setParam(paramKey, checked.data as ResponseFormat);
    else unset(paramKey);
  };

  const editText = (text: string) => {
    setDraft("json_schema", text);
    applySchema({ text });
  };

  const onKind = (next: string) => {
    setKind(next);
    setError(undefined);
    if (next === "") unset(paramKey);
    else if (next === "text" || next === "json_object") setParam(paramKey, { type: next });
    else applySchema({});
  };

  const onTemplate = (templateId: string) => {
    const template = schemaTemplates.find((t) => t.id === templateId);
    if (!template) return;
    const text = formatSchemaText(template.schema);
    setName(template.name);
    setDraft("json_schema", text);
    applySchema({ text, name: template.name });
  };

  const provider = model?.provider ?? "The provider";
  return (
    // A syntax error is shown under the editor, where the typing is.
    <ParamRow
      paramKey={paramKey}
      inputId={id}
      helpId={`${id}-help`}
      error={kind === "json_schema" && !syntax.ok ? undefined : error}
    >
      <select
        id={id}
        value={kind}
        aria-describedby={`${id}-help`}
        onChange={(e) => onKind(e.target.value)}
        className={inputClass}
      >
        <option value="">Not set (upstream default)</option>
        <option value="text">Text</option>
        <option value="json_object">JSON object</option>
        <option value="json_schema">JSON schema</option>
      </select>
      {kind === "json_object" || kind === "json_schema" ? (
        <p id={`${id}-enforcement`} className="text-xs text-muted-foreground">
          <span className="font-medium text-foreground">
            Schema enforcement: {enforcementLabels[model?.structuredOutputs ?? "best-effort"]}.
          </span>{" "}
          {enforcementNote(provider, model?.structuredOutputs)}
        </p>
      ) : null}
      {kind === "json_schema" ? (
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
              onChange={(e) => {
                setName(e.target.value);
                applySchema({ name: e.target.value });
              }}
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
              onClick={() => syntax.ok && editText(formatSchemaText(syntax.value))}
            >
              <WandSparkles aria-hidden />
              Format
            </Button>
          </div>
          <textarea
            id={`${id}-schema`}
            rows={10}
            value={schemaText}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            aria-invalid={syntax.ok ? undefined : true}
            aria-describedby={syntax.ok ? undefined : `${id}-syntax`}
            onChange={(e) => editText(e.target.value)}
            className={cn(inputClass, "resize-y font-mono text-xs leading-5 whitespace-pre")}
          />
          {syntax.ok ? null : (
            <p id={`${id}-syntax`} className="font-mono text-xs text-destructive">
              JSON error at {describeSyntaxError(syntax.error)}
            </p>
          )}
          <div className="flex items-center gap-2 text-xs font-medium">
            <Switch
              id={`${id}-strict`}
              checked={strict}
              onCheckedChange={(checked) => {
                setStrict(checked);
                applySchema({ strict: checked });
              }}
            />
            <label htmlFor={`${id}-strict`}>Strict</label>
            <span className="font-normal text-muted-foreground">
              every property required, no others
            </span>
          </div>
        </div>
      ) : null}
    </ParamRow>
  );
}
