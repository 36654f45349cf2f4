"use client";

import { lazy, Suspense, useId, useState } from "react";
import { responseFormatSchema, type ResponseFormat } from "@/lib/params";
import { enforcementLabels, enforcementNote } from "@/lib/structured/enforcement";
import type { PublicModel } from "@/lib/types";
import { inputClass, ParamField } from "./param-field";

const JsonSchemaEditor = lazy(() =>
  import("./json-schema-editor").then((m) => ({ default: m.JsonSchemaEditor })),
);

const DEFAULT_SCHEMA = `{
  "type": "object",
  "properties": { "answer": { "type": "string" } },
  "required": ["answer"],
  "additionalProperties": false
}`;

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export type ResponseFormatFieldProps = {
  model: PublicModel | undefined;
  value: ResponseFormat | undefined;
  /** The schema's text while it does not parse (or not validate) yet; undefined: from `value`. */
  draft: string | undefined;
  /** A valid format, or undefined: unset (nothing is sent). */
  onChange: (value: ResponseFormat | undefined) => void;
  onDraft: (text: string) => void;
};

/**
 * response_format: not set, text, JSON mode, or a JSON schema with its own editor. Controlled:
 * the playground binds it to its settings store, a Compare column to that column's settings.
 */
export function ResponseFormatField({
  model,
  value,
  draft,
  onChange,
  onDraft,
}: ResponseFormatFieldProps) {
  const paramKey = "response_format";
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
    draft ?? (schemaValue ? JSON.stringify(schemaValue.schema, null, 2) : DEFAULT_SCHEMA);
  const [name, setName] = useState(schemaValue?.name ?? "response");
  const [strict, setStrict] = useState(schemaValue?.strict ?? true);

  const applySchema = (next: { text?: string; name?: string; strict?: boolean }) => {
    const parsed = tryParse(next.text ?? schemaText);
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
    // A syntax error is shown under the editor, by line and column, where the typing is.
    setError(issue ? `${issue.path.slice(1).join(".")}: ${issue.message}` : undefined);
    // While the schema does not validate, nothing is sent rather than an older format.
    onChange(checked?.success ? checked.data : undefined);
  };

  const onKind = (next: string) => {
    setKind(next);
    setError(undefined);
    if (next === "") onChange(undefined);
    else if (next === "text" || next === "json_object") onChange({ type: next });
    else applySchema({});
  };

  return (
    <ParamField
      paramKey={paramKey}
      inputId={id}
      helpId={`${id}-help`}
      error={error}
      isSet={value !== undefined}
      onUnset={() => onChange(undefined)}
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
        <p className="text-xs text-muted-foreground">
          <span className="font-medium text-foreground">
            Schema enforcement: {enforcementLabels[model?.structuredOutputs ?? "best-effort"]}.
          </span>{" "}
          {enforcementNote(model?.provider ?? "The provider", model?.structuredOutputs)}
        </p>
      ) : null}
      {kind === "json_schema" ? (
        <Suspense fallback={<p className="text-xs text-muted-foreground">Loading the editor…</p>}>
          <JsonSchemaEditor
            id={id}
            name={name}
            strict={strict}
            text={schemaText}
            onName={(next) => {
              setName(next);
              applySchema({ name: next });
            }}
            onStrict={(next) => {
              setStrict(next);
              applySchema({ strict: next });
            }}
            onText={(text, templateName) => {
              if (templateName !== undefined) setName(templateName);
              onDraft(text);
              applySchema({ text, name: templateName });
            }}
          />
        </Suspense>
      ) : null}
    </ParamField>
  );
}
