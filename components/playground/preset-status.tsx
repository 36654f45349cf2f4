"use client";

import { useMemo } from "react";
import { Button } from "@/components/ui/button";
import type { Settings } from "@/lib/params";
import { BUILT_IN_HELP } from "@/lib/presets/builtin-help";
import { diffSettings } from "@/lib/presets/diff";
import type { AppliedPreset } from "@/lib/store/settings";

type Props = {
  applied: AppliedPreset;
  current: Settings;
  /** The id the combobox's aria-describedby points at. */
  helpId: string;
  onRevert: () => void;
};

/**
 * The applied preset's state: its version, or "modified" with what differs and a way back; for
 * a built-in, why it has its values. Loaded once a preset is applied.
 */
export function PresetStatus({ applied, current, helpId, onRevert }: Props) {
  const differences = useMemo(
    () => diffSettings(current, applied.settings),
    [applied.settings, current],
  );
  const help = applied.builtIn ? BUILT_IN_HELP[applied.id] : undefined;
  return (
    <>
      {help ? (
        <p id={helpId} className="text-xs text-muted-foreground">
          {help}
        </p>
      ) : null}
      <p className="text-xs text-muted-foreground" aria-live="polite">
        {differences.length > 0 ? "modified" : `version ${applied.version}`}
      </p>
      {differences.length > 0 ? (
        <div className="rounded-md border border-dashed px-2 py-1.5 text-xs">
          <p className="font-medium">Changed from {applied.name}:</p>
          <ul aria-label="Differences from the preset" className="mt-1 space-y-0.5">
            {differences.map((d) => (
              <li key={d.key}>
                {d.label}: {d.current}{" "}
                <span className="text-muted-foreground">(preset: {d.preset})</span>
              </li>
            ))}
          </ul>
          <Button variant="ghost" size="sm" className="mt-1" onClick={onRevert}>
            Revert to preset
          </Button>
        </div>
      ) : null}
    </>
  );
}
