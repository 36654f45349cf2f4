import { requireOwner } from "@/lib/auth/owner";
import { stopTurn } from "@/lib/chat/service";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Stop: aborts the conversation's running turn, on whichever instance runs it. */
export const POST = route(
  "chat.stop",
  async function POST(
    _request: Request,
    { params }: { params: Promise<{ id: string }> },
  ): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    const stopped = await stopTurn({ conversationId: id, ownerId });
    return Response.json({ stopped });
  },
);
