import { comparisonShares, shareComparison } from "@/lib/compare/copies";
import { route } from "@/lib/http";
import { createShareResponse, listSharesResponse } from "@/lib/shares/routes";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = route(
  "compare.shares.list",
  async function GET(_request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    return listSharesResponse((ownerId) => comparisonShares({ id, ownerId }));
  },
);

/** Creates a read-only snapshot link of the comparison, as for a conversation. */
export const POST = route(
  "compare.shares.create",
  async function POST(request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    return createShareResponse(request, (ownerId, options) =>
      shareComparison({ id, ownerId, options }),
    );
  },
);
