import { readOwner } from "@/lib/auth/owner";
import { route } from "@/lib/http";
import { PRESETS_EXPORT_FORMAT } from "@/lib/presets/schema";
import { exportPresets } from "@/lib/presets/service";

export const dynamic = "force-dynamic";

/** The caller's presets as a JSON download that POST /api/presets/import takes back. */
export const GET = route(
  "presets.export",
  async function GET(_request: Request): Promise<Response> {
    const ownerId = await readOwner();
    const file = ownerId
      ? await exportPresets(ownerId)
      : { format: PRESETS_EXPORT_FORMAT, version: 1, presets: [] };
    return new Response(JSON.stringify(file, null, 2), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": 'attachment; filename="thinkpane-presets.json"',
        "cache-control": "no-store",
      },
    });
  },
);
