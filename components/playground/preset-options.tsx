import type { PublicPreset } from "@/lib/presets/schema";
import { BUILT_IN_PRESETS } from "@/lib/presets/builtins";

/** The options of a Preset select: the built-in presets, then the caller's own. */
export function PresetOptions({ saved }: { saved: readonly PublicPreset[] }) {
  return (
    <>
      <optgroup label="Built-in">
        {BUILT_IN_PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </optgroup>
      {saved.length > 0 ? (
        <optgroup label="Yours">
          {saved.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </optgroup>
      ) : null}
    </>
  );
}
