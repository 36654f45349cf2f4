import { ensureOwner, readOwner } from "@/lib/auth/owner";
import { createPreset, listPresets } from "@/lib/db/presets";
import { invalidBody, readJsonBody, route } from "@/lib/http";
import { createPresetSchema, PRESET_BODY_MAX_BYTES } from "@/lib/presets/schema";
import { checkPresetModel, toPublicPreset } from "@/lib/presets/service";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };

/** The caller's presets, by name (the built-in ones are in the app itself). */
export const GET = route("presets.list", async function GET(_request: Request): Promise<Response> {
  const ownerId = await readOwner();
  const presets = ownerId ? (await listPresets({ ownerId })).map(toPublicPreset) : [];
  return Response.json({ presets }, { headers: noStore });
});

/** Saves the settings as a new preset of the caller's, at version 1. */
export const POST = route("presets.create", async function POST(request: Request) {
  const parsed = createPresetSchema.safeParse(await readJsonBody(request, PRESET_BODY_MAX_BYTES));
  if (!parsed.success) throw invalidBody(parsed.error.issues);
  checkPresetModel(parsed.data.settings, "settings.model");
  const ownerId = await ensureOwner(request);
  const preset = await createPreset({ ownerId, ...parsed.data });
  return Response.json({ preset: toPublicPreset(preset) }, { status: 201, headers: noStore });
});
