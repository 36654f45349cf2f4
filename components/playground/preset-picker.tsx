"use client";

import { lazy, Suspense, useEffect, useId, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import type { Settings } from "@/lib/params";
import { findPreset } from "@/lib/presets/builtins";
import { usePresets } from "@/lib/store/presets";
import { useSettings } from "@/lib/store/settings";
import type { PresetDialog } from "./preset-dialogs";
import { PresetOptions } from "./preset-options";

// Loaded when needed, so that a first visit carries only the combobox and its buttons: the
// status once a preset is applied, the dialogs when one opens.
const PresetStatus = lazy(() =>
  import("./preset-status").then((m) => ({ default: m.PresetStatus })),
);
const PresetDialogs = lazy(() =>
  import("./preset-dialogs").then((m) => ({ default: m.PresetDialogs })),
);

function useCurrentSettings(modelId: string): Settings {
  const system = useSettings((s) => s.system);
  const params = useSettings((s) => s.params);
  return useMemo(
    () => ({ model: modelId, ...(system ? { system } : {}), params }),
    [modelId, system, params],
  );
}

/**
 * The Preset combobox and its actions: choosing a preset applies it; while the settings differ
 * from the applied version the panel says "modified" and lists what differs.
 */
export function PresetPicker({ modelId }: { modelId: string }) {
  const selectId = useId();
  const helpId = useId();
  const applied = useSettings((s) => s.preset);
  const applyPreset = useSettings((s) => s.applyPreset);
  const { items, loaded, error, refresh } = usePresets();
  const [dialog, setDialog] = useState<PresetDialog>();
  const [updateError, setUpdateError] = useState<string>();
  const current = useCurrentSettings(modelId);
  const own = applied && !applied.builtIn;

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // A preset deleted elsewhere (another tab, another device) is no longer the applied one.
  useEffect(() => {
    if (loaded && !error && own && !items.some((p) => p.id === applied.id)) applyPreset(undefined);
  }, [loaded, error, own, applied, items, applyPreset]);

  const choose = (id: string) => {
    const preset = findPreset(id, items);
    applyPreset(
      preset && {
        id: preset.id,
        name: preset.name,
        version: preset.version,
        settings: preset.settings,
        ...(preset.builtIn ? { builtIn: true } : {}),
      },
    );
  };

  // A new version of the applied preset from the settings in use (the same settings add none).
  const update = async () => {
    if (!own) return;
    try {
      const { presetActions } = await import("@/lib/store/preset-actions");
      const { id, name, version, settings } = await presetActions.update(applied.id, current);
      applyPreset({ id, name, version, settings });
      setUpdateError(undefined);
    } catch (e) {
      setUpdateError(`Could not update the preset: ${(e as Error).message}`);
    }
  };

  return (
    <section aria-label="Preset" className="flex flex-col gap-1.5">
      <label htmlFor={selectId} className="text-sm font-medium">
        Preset
      </label>
      <select
        id={selectId}
        value={applied?.id ?? ""}
        onChange={(e) => choose(e.target.value)}
        aria-describedby={applied?.builtIn ? helpId : undefined}
        className="w-full rounded-md border border-input bg-background px-2 py-1.5 text-sm"
      >
        <option value="">None</option>
        <PresetOptions saved={items} />
        {/* Applied but not listed yet (the list is still loading): keep it shown. */}
        {own && !items.some((p) => p.id === applied.id) ? (
          <option value={applied.id}>{applied.name}</option>
        ) : null}
      </select>
      {applied ? (
        <Suspense fallback={null}>
          <PresetStatus
            applied={applied}
            current={current}
            helpId={helpId}
            onRevert={() => choose(applied.id)}
          />
        </Suspense>
      ) : null}
      {error || updateError ? (
        <p role="alert" className="text-xs text-destructive">
          {updateError ?? error}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-1.5">
        <Button size="sm" onClick={() => setDialog("save")}>
          Save as preset…
        </Button>
        <Button size="sm" disabled={!own} onClick={() => void update()}>
          Update preset
        </Button>
        <Button size="sm" disabled={!own} onClick={() => setDialog("rename")}>
          Rename preset…
        </Button>
        <Button size="sm" disabled={!own} onClick={() => setDialog("delete")}>
          Delete preset…
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setDialog("transfer")}>
          Import or export…
        </Button>
      </div>
      {dialog ? (
        <Suspense fallback={null}>
          <PresetDialogs dialog={dialog} settings={current} onClose={() => setDialog(undefined)} />
        </Suspense>
      ) : null}
    </section>
  );
}
