import { requireOwner } from "@/lib/auth/owner";
import { stopTurn } from "@/lib/chat/service";
import { toErrorResponse } from "@/lib/http";
import { withRequest } from "@/lib/request-context";

export const dynamic = "force-dynamic";

/** Stop: aborts the conversation's running turn, on whichever instance runs it. */
export const POST = withRequest(async function POST(
  _request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const { id } = await params;
    const ownerId = await requireOwner();
    const stopped = await stopTurn({ conversationId: id, ownerId });
    return Response.json({ stopped });
  } catch (error) {
    return toErrorResponse(error, { event: "chat.stop" });
  }
});
