import { requireOwner } from "@/lib/auth/owner";
import {
  deletePreset,
  getPresetVersion,
  listPresetVersions,
  renamePreset,
  savePresetVersion,
} from "@/lib/db/presets";
import { ThinkpaneError } from "@/lib/errors";
import { invalidBody, readJsonBody, route } from "@/lib/http";
import {
  PRESET_BODY_MAX_BYTES,
  renamePresetSchema,
  updatePresetSchema,
} from "@/lib/presets/schema";
import { checkPresetModel, toPublicPreset } from "@/lib/presets/service";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const noStore = { "cache-control": "no-store" };

/** The caller's preset with every version, oldest first. */
export const GET = route(
  "presets.get",
  async function GET(_request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    const preset = await getPresetVersion({ id, ownerId });
    if (!preset) throw new ThinkpaneError("not_found");
    const versions = await listPresetVersions({ id, ownerId });
    return Response.json(
      {
        preset: toPublicPreset(preset),
        versions: versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
      },
      { headers: noStore },
    );
  },
);

/** "Update preset": the settings become its next version; earlier versions stay as they were. */
export const PUT = route(
  "presets.update",
  async function PUT(request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    const parsed = updatePresetSchema.safeParse(await readJsonBody(request, PRESET_BODY_MAX_BYTES));
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    checkPresetModel(parsed.data.settings, "settings.model");
    const preset = await savePresetVersion({ id, ownerId, settings: parsed.data.settings });
    if (!preset) throw new ThinkpaneError("not_found");
    return Response.json({ preset: toPublicPreset(preset) }, { headers: noStore });
  },
);

export const PATCH = route(
  "presets.rename",
  async function PATCH(request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    const parsed = renamePresetSchema.safeParse(await readJsonBody(request, PRESET_BODY_MAX_BYTES));
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    if (!(await renamePreset({ id, ownerId, name: parsed.data.name })))
      throw new ThinkpaneError("not_found");
    return Response.json({ id, name: parsed.data.name }, { headers: noStore });
  },
);

export const DELETE = route(
  "presets.delete",
  async function DELETE(_request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    if (!(await deletePreset({ id, ownerId }))) throw new ThinkpaneError("not_found");
    return new Response(null, { status: 204 });
  },
);
