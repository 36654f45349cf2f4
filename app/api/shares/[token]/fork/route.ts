import { requestAddress } from "@/lib/auth/request-address";
import { admitCopy } from "@/lib/limits/copies";
import { ensureOwner } from "@/lib/auth/owner";
import { forkShare } from "@/lib/conversations/service";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** "Continue in playground": copies the snapshot into a new conversation owned by the viewer. */
export const POST = route(
  "shares.fork",
  async function POST(
    request: Request,
    { params }: { params: Promise<{ token: string }> },
  ): Promise<Response> {
    const { token } = await params;
    const ownerId = await ensureOwner(request);
    await admitCopy({ action: "fork", ownerId, address: requestAddress(request) });
    const id = await forkShare({ token, ownerId });
    return Response.json({ id, url: `/c/${id}` }, { status: 201 });
  },
);
