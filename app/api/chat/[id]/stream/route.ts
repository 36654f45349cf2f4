import { requireOwner } from "@/lib/auth/owner";
import { followTurn } from "@/lib/chat/service";
import { uiMessageStreamResponse } from "@/lib/chat/sse";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Follows the running turn of a conversation (after a reload): 204 when none runs. */
export const GET = route(
  "chat.follow",
  async function GET(
    _request: Request,
    { params }: { params: Promise<{ id: string }> },
  ): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    const stream = await followTurn({ conversationId: id, ownerId });
    if (!stream) return new Response(null, { status: 204 });
    return uiMessageStreamResponse(stream);
  },
);
