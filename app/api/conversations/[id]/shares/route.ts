import { requestAddress } from "@/lib/auth/request-address";
import { admitCopy } from "@/lib/limits/copies";
import { requireOwner } from "@/lib/auth/owner";
import { shareOptionsSchema } from "@/lib/conversations/portable";
import { conversationShares, shareConversation } from "@/lib/conversations/service";
import { invalidBody, readJsonBody, route } from "@/lib/http";
import { publicShare, type PublicShare } from "@/lib/shares/public";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export type { PublicShare };

export const GET = route(
  "shares.list",
  async function GET(_request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const shares = await conversationShares({ id, ownerId: await requireOwner() });
    return Response.json(
      { shares: shares.map(publicShare) },
      { headers: { "cache-control": "no-store" } },
    );
  },
);

/** Creates a snapshot link: frozen now; later messages do not appear. */
export const POST = route(
  "shares.create",
  async function POST(request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    const parsed = shareOptionsSchema.safeParse(await readJsonBody(request, 10_000));
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    await admitCopy({ action: "share", ownerId, address: requestAddress(request) });
    const share = await shareConversation({ id, ownerId, options: parsed.data });
    return Response.json({ share: publicShare(share) }, { status: 201 });
  },
);
