"use client";

import { useId, useState } from "react";
import { Slider } from "@/components/ui/slider";
import { Switch } from "@/components/ui/switch";
import {
  logitBiasSchema,
  params,
  type EnumParam,
  type NumberParam,
  type ParamKey,
  type TextParam,
} from "@/lib/params";
import { useSettings } from "@/lib/store/settings";
import { cn } from "@/lib/utils";
import { inputClass, ParamField, type ParamFieldProps } from "./param-field";

/** A parameter's row, bound to the playground's settings. */
export function ParamRow(props: Omit<ParamFieldProps, "isSet" | "onUnset">) {
  const isSet = useSettings((s) => s.params[props.paramKey] !== undefined);
  const unset = useSettings((s) => s.unsetParam);
  return <ParamField {...props} isSet={isSet} onUnset={() => unset(props.paramKey)} />;
}

function inBounds(d: NumberParam, value: number): string | undefined {
  if (d.kind === "integer" && !Number.isInteger(value)) return "Must be a whole number.";
  if (d.min !== undefined && value < d.min) return `Must be at least ${d.min}.`;
  if (d.max !== undefined && value > d.max) return `Must be at most ${d.max}.`;
  return undefined;
}

export function NumberControl({ paramKey }: { paramKey: ParamKey }) {
  const d = params[paramKey] as NumberParam;
  const value = useSettings((s) => s.params[paramKey]) as number | undefined;
  const setParam = useSettings((s) => s.setParam);
  const unset = useSettings((s) => s.unsetParam);
  const id = useId();
  const [draft, setDraft] = useState(value === undefined ? "" : String(value));
  const [error, setError] = useState<string>();

  // Follow outside changes (slider, reset, unset); keep what is typed while it means the same
  // number ("1." while typing "1.5").
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setError(undefined);
    if (!(draft.trim() !== "" && Number(draft) === value))
      setDraft(value === undefined ? "" : String(value));
  }

  const commit = (text: string) => {
    setDraft(text);
    if (text.trim() === "") {
      setError(undefined);
      unset(paramKey);
      return;
    }
    const n = Number(text);
    const problem = Number.isFinite(n) ? inBounds(d, n) : "Must be a number.";
    setError(problem);
    if (!problem) setParam(paramKey, n as never);
  };

  const showSlider = d.sliderMax - d.sliderMin <= 1000;
  return (
    <ParamRow paramKey={paramKey} inputId={id} helpId={`${id}-help`} error={error}>
      <div className="flex items-center gap-3">
        {showSlider ? (
          <Slider
            label={d.label}
            min={d.sliderMin}
            max={d.sliderMax}
            step={d.step}
            value={value ?? d.recommended ?? d.sliderMin}
            onValueChange={(v) => setParam(paramKey, Number(v.toFixed(6)) as never)}
            className={cn(value === undefined && "opacity-60")}
          />
        ) : null}
        <input
          id={id}
          type="number"
          inputMode="decimal"
          min={d.min}
          max={d.max}
          step={d.step}
          placeholder="default"
          value={draft}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-help`}
          onChange={(e) => commit(e.target.value)}
          className={cn(inputClass, showSlider ? "w-24 shrink-0" : "")}
        />
      </div>
    </ParamRow>
  );
}

export function EnumControl({ paramKey }: { paramKey: ParamKey }) {
  const d = params[paramKey] as EnumParam;
  const value = useSettings((s) => s.params[paramKey]) as string | undefined;
  const setParam = useSettings((s) => s.setParam);
  const unset = useSettings((s) => s.unsetParam);
  const id = useId();
  return (
    <ParamRow paramKey={paramKey} inputId={id} helpId={`${id}-help`}>
      <select
        id={id}
        value={value ?? ""}
        aria-describedby={`${id}-help`}
        onChange={(e) =>
          e.target.value === "" ? unset(paramKey) : setParam(paramKey, e.target.value as never)
        }
        className={inputClass}
      >
        <option value="">Not set (upstream default)</option>
        {d.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </ParamRow>
  );
}

export function TextControl({ paramKey }: { paramKey: ParamKey }) {
  const d = params[paramKey] as TextParam;
  const value = useSettings((s) => s.params[paramKey]) as string | undefined;
  const setParam = useSettings((s) => s.setParam);
  const unset = useSettings((s) => s.unsetParam);
  const id = useId();
  return (
    <ParamRow paramKey={paramKey} inputId={id} helpId={`${id}-help`}>
      <input
        id={id}
        type="text"
        value={value ?? ""}
        maxLength={d.maxLength}
        placeholder={d.placeholder}
        aria-describedby={`${id}-help`}
        onChange={(e) =>
          e.target.value.trim() === ""
            ? unset(paramKey)
            : setParam(paramKey, e.target.value as never)
        }
        className={inputClass}
      />
    </ParamRow>
  );
}

function parseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function LogitBiasControl() {
  const paramKey = "logit_bias";
  const draft = useSettings((s) => s.drafts.logit_bias);
  const value = useSettings((s) => s.params.logit_bias);
  const setParam = useSettings((s) => s.setParam);
  const unset = useSettings((s) => s.unsetParam);
  const setDraft = useSettings((s) => s.setDraft);
  const id = useId();
  const text = draft ?? (value ? JSON.stringify(value) : "");
  const [error, setError] = useState<string>();

  const onChange = (next: string) => {
    setDraft(paramKey, next);
    if (next.trim() === "") {
      setError(undefined);
      unset(paramKey);
      return;
    }
    const parsed = parseJson(next);
    const checked = parsed.error ? undefined : logitBiasSchema.safeParse(parsed.value);
    const problem =
      parsed.error ?? (checked && !checked.success ? checked.error.issues[0]?.message : undefined);
    setError(problem);
    if (!problem && checked?.success) setParam(paramKey, checked.data);
  };

  return (
    <ParamRow paramKey={paramKey} inputId={id} helpId={`${id}-help`} error={error}>
      <textarea
        id={id}
        rows={2}
        value={text}
        placeholder={params.logit_bias.placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help`}
        onChange={(e) => onChange(e.target.value)}
        className={cn(inputClass, "font-mono text-xs")}
      />
    </ParamRow>
  );
}

/** A switch for an on/off parameter; unset reads as on (the upstream's default, and ours). */
export function BooleanControl({ paramKey }: { paramKey: ParamKey }) {
  const value = useSettings((s) => s.params[paramKey]) as boolean | undefined;
  const setParam = useSettings((s) => s.setParam);
  const id = useId();
  return (
    <ParamRow paramKey={paramKey} inputId={id} helpId={`${id}-help`}>
      <div className="flex items-center gap-2 text-sm">
        <Switch
          id={id}
          checked={value ?? true}
          aria-describedby={`${id}-help`}
          onCheckedChange={(on) => setParam(paramKey, on as never)}
        />
        <span aria-hidden className="text-muted-foreground">
          {(value ?? true) ? "On" : "Off"}
        </span>
      </div>
    </ParamRow>
  );
}
