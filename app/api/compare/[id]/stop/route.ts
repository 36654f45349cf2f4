import { requireOwner } from "@/lib/auth/owner";
import { stopComparison } from "@/lib/compare/service";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Stop: aborts every running answer of the comparison, on whichever instance runs it. */
export const POST = route(
  "compare.stop",
  async function POST(
    _request: Request,
    { params }: { params: Promise<{ id: string }> },
  ): Promise<Response> {
    const { id } = await params;
    const stopped = await stopComparison({ id, ownerId: await requireOwner() });
    return Response.json({ stopped });
  },
);
