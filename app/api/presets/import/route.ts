import { ensureOwner } from "@/lib/auth/owner";
import { importPresets } from "@/lib/db/presets";
import { env } from "@/lib/env";
import { invalidBody, readJsonBody, route } from "@/lib/http";
import { PRESET_NAME_MAX, presetsFileSchema } from "@/lib/presets/schema";
import { checkPresetModel, toPublicPreset } from "@/lib/presets/service";

export const dynamic = "force-dynamic";

/**
 * Adds the presets of an export file to the caller's. Everything is checked before anything is
 * written, and the writes are one transaction: a bad file changes nothing.
 */
export const POST = route("presets.import", async function POST(request: Request) {
  const parsed = presetsFileSchema.safeParse(await readJsonBody(request, env().MAX_REQUEST_BYTES));
  if (!parsed.success) throw invalidBody(parsed.error.issues);
  parsed.data.presets.forEach((p, i) =>
    checkPresetModel(p.settings, `presets.${i}.settings.model`),
  );
  const ownerId = await ensureOwner(request);
  const created = await importPresets({
    ownerId,
    items: parsed.data.presets,
    nameMax: PRESET_NAME_MAX,
  });
  return Response.json(
    { presets: created.map(toPublicPreset) },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
