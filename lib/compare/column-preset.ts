import type { Settings } from "@/lib/params";
import { sameSettings } from "@/lib/presets/diff";

/** A column's settings as the Compare view keeps them; `settings.system` counts when it overrides. */
export type ColumnSettingsValue = { settings: Settings; overrideSystem: boolean };

/**
 * A column that takes a preset's settings: model and parameters, and the preset's system prompt
 * when it has one, which the column then uses instead of the shared one.
 */
export function columnFromPreset(preset: Settings): ColumnSettingsValue {
  const system = preset.system?.trim() ? preset.system : undefined;
  return {
    settings: { model: preset.model, params: { ...preset.params }, ...(system ? { system } : {}) },
    overrideSystem: system !== undefined,
  };
}

/** Whether a column's own settings are a preset's, so that its Preset select can name it. */
export function columnMatchesPreset(column: ColumnSettingsValue, preset: Settings): boolean {
  const { system, ...rest } = column.settings;
  return sameSettings({ ...rest, ...(column.overrideSystem ? { system } : {}) }, preset);
}
