import { requireOwner } from "@/lib/auth/owner";
import { loadComparison, stopComparison } from "@/lib/compare/service";
import { deleteComparison } from "@/lib/db/comparisons";
import { ThinkpaneError } from "@/lib/errors";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** A saved comparison with its answers; 404 to anyone but its owner. */
export const GET = route(
  "compare.get",
  async function GET(_request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const comparison = await loadComparison({ id, ownerId: await requireOwner() });
    if (!comparison) throw new ThinkpaneError("not_found");
    return Response.json(
      { comparison: { ...comparison, ownerId: undefined } },
      { headers: { "cache-control": "no-store" } },
    );
  },
);

export const DELETE = route(
  "compare.delete",
  async function DELETE(_request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    // Its running answers stop first: nobody could see them.
    await stopComparison({ id, ownerId });
    if (!(await deleteComparison({ id, ownerId }))) throw new ThinkpaneError("not_found");
    return new Response(null, { status: 204 });
  },
);
