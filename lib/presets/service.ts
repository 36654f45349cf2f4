import "server-only";
import { getPresetVersion, listPresets, type StoredPreset } from "@/lib/db/presets";
import { ThinkpaneError } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import { registry } from "@/lib/upstream/registry";
import { builtInPreset } from "./builtins";
import { diffSettings } from "./diff";
import {
  PRESETS_EXPORT_FORMAT,
  type PresetRef,
  type PresetsFile,
  type PublicPreset,
  type TurnPreset,
} from "./schema";

export function toPublicPreset(preset: StoredPreset): PublicPreset {
  return {
    id: preset.id,
    name: preset.name,
    version: preset.version,
    settings: preset.settings,
    updatedAt: preset.updatedAt.toISOString(),
  };
}

/** A preset names a model this server has: anything else could never be sent. */
export function checkPresetModel(settings: Settings, field: string): void {
  if (registry().models.some((m) => m.id === settings.model)) return;
  throw new ThinkpaneError("bad_request:unknown_model", {
    message: `Invalid field "${field}": unknown model "${settings.model.slice(0, 100)}".`,
    details: { field },
  });
}

/** The owner's presets as an export file (newest versions; an import starts them at version 1). */
export async function exportPresets(ownerId: string): Promise<PresetsFile> {
  const presets = await listPresets({ ownerId });
  return {
    format: PRESETS_EXPORT_FORMAT,
    version: 1,
    presets: presets.map((p) => ({ name: p.name, settings: p.settings })),
  };
}

/**
 * What a turn records of the preset its request names: a built-in, or a version of one of the
 * owner's presets (anything else is not found, as everywhere). `modified` says whether the
 * settings sent differ from that version's.
 */
export async function resolveTurnPreset({
  ref,
  ownerId,
  settings,
}: {
  ref: PresetRef;
  ownerId: string;
  settings: Settings;
}): Promise<TurnPreset> {
  const builtIn = builtInPreset(ref.id);
  const found =
    builtIn && builtIn.version === ref.version
      ? builtIn
      : await getPresetVersion({ id: ref.id, ownerId, version: ref.version });
  if (!found)
    throw new ThinkpaneError("not_found", {
      message: "The preset this request names is not yours, or that version does not exist.",
      details: { field: "preset" },
    });
  return {
    id: found.id,
    name: found.name,
    version: ref.version,
    modified: diffSettings(settings, found.settings).length > 0,
  };
}
