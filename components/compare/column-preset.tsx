"use client";

import { useEffect, useId, useMemo } from "react";
import { inputClass } from "@/components/playground/param-field";
import { PresetOptions } from "@/components/playground/preset-options";
import {
  type ColumnSettingsValue,
  columnFromPreset,
  columnMatchesPreset,
} from "@/lib/compare/column-preset";
import { BUILT_IN_PRESETS, findPreset } from "@/lib/presets/builtins";
import { usePresets } from "@/lib/store/presets";

/**
 * A column's Preset select: choosing a preset replaces the column's settings with the preset's.
 * It names the preset the column's settings are, and "Custom" once they differ from every one.
 */
export function ColumnPreset({
  settings,
  overrideSystem,
  disabled,
  onApply,
}: ColumnSettingsValue & {
  disabled: boolean;
  onApply: (next: ColumnSettingsValue) => void;
}) {
  const id = useId();
  const items = usePresets((s) => s.items);
  const error = usePresets((s) => s.error);
  const load = usePresets((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  const matching = useMemo(
    () =>
      [...BUILT_IN_PRESETS, ...items].find((p) =>
        columnMatchesPreset({ settings, overrideSystem }, p.settings),
      ),
    [settings, overrideSystem, items],
  );
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium">
        Preset
      </label>
      <select
        id={id}
        className={inputClass}
        disabled={disabled}
        value={matching?.id ?? ""}
        onChange={(e) => {
          const preset = findPreset(e.target.value, items);
          if (preset) onApply(columnFromPreset(preset.settings));
        }}
      >
        <option value="">Custom</option>
        <PresetOptions saved={items} />
      </select>
      {error ? <p className="text-xs text-destructive">{error}</p> : null}
    </div>
  );
}
