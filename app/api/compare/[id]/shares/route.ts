import { requestAddress } from "@/lib/auth/request-address";
import { requireOwner } from "@/lib/auth/owner";
import { comparisonShares, shareComparison } from "@/lib/compare/copies";
import { shareOptionsSchema } from "@/lib/conversations/portable";
import { invalidBody, readJsonBody, route } from "@/lib/http";
import { admitCopy } from "@/lib/limits/copies";
import { publicShare } from "@/lib/shares/public";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = route(
  "compare.shares.list",
  async function GET(_request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const shares = await comparisonShares({ id, ownerId: await requireOwner() });
    return Response.json(
      { shares: shares.map(publicShare) },
      { headers: { "cache-control": "no-store" } },
    );
  },
);

/** Creates a read-only snapshot link of the comparison, as for a conversation. */
export const POST = route(
  "compare.shares.create",
  async function POST(request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    const parsed = shareOptionsSchema.safeParse(await readJsonBody(request, 10_000));
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    await admitCopy({ action: "share", ownerId, address: requestAddress(request) });
    const share = await shareComparison({ id, ownerId, options: parsed.data });
    return Response.json({ share: publicShare(share) }, { status: 201 });
  },
);
