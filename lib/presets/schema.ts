import { z } from "zod";
import { settingsSchema, type Settings } from "@/lib/params";

/**
 * Presets at the boundaries: the API's bodies, the export file, and the reference a chat
 * request carries. Shared by the routes (validation) and the browser (types).
 */

export const PRESET_NAME_MAX = 80;
/** More than anyone keeps by hand; bounds an import's work. */
export const PRESETS_PER_IMPORT_MAX = 200;
export const PRESETS_EXPORT_FORMAT = "thinkpane.presets";
/** Bodies of the write routes: one preset's settings, whose system prompt is up to SYSTEM_PROMPT_MAX. */
export const PRESET_BODY_MAX_BYTES = 300_000;

export const presetNameSchema = z
  .string()
  .trim()
  .min(1, "the name is empty")
  .max(PRESET_NAME_MAX, `use at most ${PRESET_NAME_MAX} characters`);

export const presetIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, _ or -");

export const createPresetSchema = z
  .object({ name: presetNameSchema, settings: settingsSchema })
  .strict();
export const updatePresetSchema = z.object({ settings: settingsSchema }).strict();
export const renamePresetSchema = z.object({ name: presetNameSchema }).strict();

/** What a chat request names: the preset and the version its settings came from. */
export const presetRefSchema = z
  .object({ id: presetIdSchema, version: z.number().int().min(1) })
  .strict();
export type PresetRef = z.infer<typeof presetRefSchema>;

/** The export file; import takes the same shape. Versions are not carried: an import starts at 1. */
export const presetsFileSchema = z
  .object({
    format: z.literal(PRESETS_EXPORT_FORMAT),
    version: z.literal(1),
    presets: z
      .array(z.object({ name: presetNameSchema, settings: settingsSchema }).strip())
      .min(1, "the file holds no preset")
      .max(PRESETS_PER_IMPORT_MAX, `at most ${PRESETS_PER_IMPORT_MAX} presets per file`),
  })
  .strip()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.presets.forEach((preset, index) => {
      if (seen.has(preset.name))
        ctx.addIssue({
          code: "custom",
          path: ["presets", index, "name"],
          message: `"${preset.name}" appears twice in the file`,
        });
      seen.add(preset.name);
    });
  });
export type PresetsFile = z.infer<typeof presetsFileSchema>;

/** A preset as the API gives it: the newest version's settings. */
export type PublicPreset = {
  id: string;
  name: string;
  version: number;
  settings: Settings;
  updatedAt: string;
  /** Built-in presets are the same for everyone and cannot change (their reasons: builtin-help.ts). */
  builtIn?: true;
};

/** What an assistant turn records of the preset it was sent with. */
export type TurnPreset = {
  id: string;
  name: string;
  version: number;
  /** The settings sent differed from that version's. */
  modified: boolean;
};
