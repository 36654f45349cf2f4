"use client";

import { useId, useState } from "react";
import { inputClass } from "@/components/playground/param-field";
import {
  type ParamDescriptor,
  type ParamKey,
  type ParamValues,
  paramKeys,
  params,
  type Settings,
} from "@/lib/params";
import type { PublicModel } from "@/lib/types";
import { ColumnPreset } from "./column-preset";
import { ColumnResponseFormat } from "./column-response-format";
import { ColumnTools } from "./column-tools";

/** Numbers and choices: the parameters a compact form holds as fields of its own. */
const compactKeys = paramKeys.filter((key) => {
  const kind = params[key].kind;
  return kind === "number" || kind === "integer" || kind === "enum";
});

function ParamInput({
  paramKey,
  value,
  onChange,
  disabled,
}: {
  paramKey: ParamKey;
  value: unknown;
  onChange: (value: unknown) => void;
  disabled: boolean;
}) {
  const id = useId();
  const d: ParamDescriptor = params[paramKey];
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium">
        {d.label}
      </label>
      {d.kind === "enum" ? (
        <select
          id={id}
          className={inputClass}
          disabled={disabled}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.target.value || undefined)}
        >
          <option value="">Unset</option>
          {d.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : d.kind === "number" || d.kind === "integer" ? (
        <input
          id={id}
          type="number"
          className={inputClass}
          disabled={disabled}
          placeholder="Unset"
          step={d.step}
          min={d.min}
          max={d.max}
          value={typeof value === "number" ? value : ""}
          onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        />
      ) : null}
    </div>
  );
}

/**
 * A compact form of the parameter panel for one column: a preset, the model, parameters, the
 * response format, its functions (when it has any) and a system prompt of its own.
 */
export function ColumnSettings({
  settings,
  overrideSystem,
  models,
  disabled,
  onChange,
}: {
  settings: Settings;
  overrideSystem: boolean;
  models: PublicModel[];
  disabled: boolean;
  onChange: (next: { settings: Settings; overrideSystem: boolean }) => void;
}) {
  const modelId = useId();
  const systemId = useId();
  // A preset replaces the settings from outside: the response format's editor starts afresh.
  const [presetsApplied, setPresetsApplied] = useState(0);
  const set = (patch: Partial<Settings>, override = overrideSystem) =>
    onChange({ settings: { ...settings, ...patch }, overrideSystem: override });
  const setParam = (key: ParamKey, value: unknown) => {
    const next: Record<string, unknown> = { ...settings.params };
    if (value === undefined || (typeof value === "number" && Number.isNaN(value))) delete next[key];
    else next[key] = value;
    set({ params: next as ParamValues });
  };
  const [first, ...rest] = compactKeys;
  return (
    <div className="flex flex-col gap-2">
      <ColumnPreset
        settings={settings}
        overrideSystem={overrideSystem}
        disabled={disabled}
        onApply={(next) => {
          setPresetsApplied((n) => n + 1);
          onChange(next);
        }}
      />
      <div className="flex flex-col gap-1">
        <label htmlFor={modelId} className="text-xs font-medium">
          Model
        </label>
        <select
          id={modelId}
          className={inputClass}
          disabled={disabled}
          value={settings.model}
          onChange={(e) => set({ model: e.target.value })}
        >
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label} · {m.provider}
              {m.ready ? "" : " (no key)"}
            </option>
          ))}
        </select>
      </div>
      {first ? (
        <ParamInput
          paramKey={first}
          value={settings.params[first]}
          disabled={disabled}
          onChange={(v) => setParam(first, v)}
        />
      ) : null}
      <ColumnResponseFormat
        key={presetsApplied}
        value={settings.params.response_format}
        model={models.find((m) => m.id === settings.model)}
        disabled={disabled}
        onChange={(v) => setParam("response_format", v)}
      />
      {settings.params.tools?.length ? (
        <ColumnTools
          tools={settings.params.tools}
          choice={settings.params.tool_choice}
          disabled={disabled}
          onChange={({ tools, tool_choice }) => {
            const next: Record<string, unknown> = { ...settings.params, tools };
            if (tool_choice === undefined) delete next.tool_choice;
            else next.tool_choice = tool_choice;
            set({ params: next as ParamValues });
          }}
        />
      ) : null}
      <details className="rounded-md border px-2 py-1">
        <summary className="cursor-pointer text-xs font-medium">More parameters</summary>
        <div className="flex flex-col gap-2 py-2">
          {rest.map((key) => (
            <ParamInput
              key={key}
              paramKey={key}
              value={settings.params[key]}
              disabled={disabled}
              onChange={(v) => setParam(key, v)}
            />
          ))}
          <label className="flex items-center gap-2 text-xs font-medium">
            <input
              type="checkbox"
              checked={overrideSystem}
              disabled={disabled}
              onChange={(e) => set({}, e.target.checked)}
            />
            Own system prompt
          </label>
          {overrideSystem ? (
            <>
              <label htmlFor={systemId} className="text-xs font-medium">
                Column system prompt
              </label>
              <textarea
                id={systemId}
                rows={3}
                className={inputClass}
                disabled={disabled}
                value={settings.system ?? ""}
                onChange={(e) => set({ system: e.target.value })}
              />
            </>
          ) : null}
        </div>
      </details>
    </div>
  );
}
