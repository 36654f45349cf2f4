import { requireOwner } from "@/lib/auth/owner";
import { getExchange } from "@/lib/db/exchanges";
import { ThinkpaneError } from "@/lib/errors";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string; messageId: string }> };

/** The raw exchange of an assistant turn (Inspect): its owner's only, 404 to anyone else. */
export const GET = route(
  "exchange.get",
  async function GET(_request: Request, { params }: Context): Promise<Response> {
    const { id, messageId } = await params;
    const ownerId = await requireOwner();
    const exchange = await getExchange({ ownerId, conversationId: id, messageId });
    if (!exchange) throw new ThinkpaneError("not_found");
    return Response.json({ exchange }, { headers: { "cache-control": "private, no-store" } });
  },
);
