import { ensureOwner } from "@/lib/auth/owner";
import { forkShare } from "@/lib/conversations/service";
import { toErrorResponse } from "@/lib/http";
import { withRequest } from "@/lib/request-context";

export const dynamic = "force-dynamic";

/** "Continue in playground": copies the snapshot into a new conversation owned by the viewer. */
export const POST = withRequest(async function POST(
  request: Request,
  { params }: { params: Promise<{ token: string }> },
): Promise<Response> {
  try {
    const { token } = await params;
    const ownerId = await ensureOwner(request);
    const id = await forkShare({ token, ownerId });
    return Response.json({ id, url: `/c/${id}` }, { status: 201 });
  } catch (error) {
    return toErrorResponse(error, { event: "shares.fork" });
  }
});
