import { paramKeys, params, type ParamKey, type Settings } from "@/lib/params";

/**
 * What differs between the settings in use and a preset's: the panel lists it under "modified",
 * and the server decides with it whether a turn's settings were its preset's as saved.
 */

export type SettingsDifference = {
  key: "model" | "system" | ParamKey;
  label: string;
  /** The value in use and the preset's, shown briefly ("unset" when absent). */
  current: string;
  preset: string;
};

const SHOWN_MAX = 40;

/** JSON with keys sorted, so that two equal objects give the same text. */
function canonical(value: unknown): string {
  if (value === undefined) return "";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function shown(value: unknown): string {
  if (value === undefined || value === "") return "unset";
  const text = typeof value === "string" ? value : canonical(value);
  const chars = Array.from(text.replace(/\s+/g, " "));
  return chars.length > SHOWN_MAX ? `${chars.slice(0, SHOWN_MAX - 1).join("")}…` : chars.join("");
}

export function diffSettings(current: Settings, preset: Settings): SettingsDifference[] {
  const out: SettingsDifference[] = [];
  const compare = (key: SettingsDifference["key"], label: string, a: unknown, b: unknown) => {
    if (canonical(a) !== canonical(b))
      out.push({ key, label, current: shown(a), preset: shown(b) });
  };
  compare("model", "Model", current.model, preset.model);
  // An empty system prompt is no system prompt: neither is sent.
  compare("system", "System prompt", current.system || undefined, preset.system || undefined);
  for (const key of paramKeys)
    compare(key, params[key].label, current.params?.[key], preset.params?.[key]);
  return out;
}

export function sameSettings(a: Settings, b: Settings): boolean {
  return diffSettings(a, b).length === 0;
}
