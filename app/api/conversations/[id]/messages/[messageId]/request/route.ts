import { requireOwner } from "@/lib/auth/owner";
import { getExchange } from "@/lib/db/exchanges";
import { ThinkpaneError } from "@/lib/errors";
import { route } from "@/lib/http";
import { codeTargetOfRecorded } from "@/lib/upstream/registry";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string; messageId: string }> };

/**
 * The request that produced an assistant turn, as View code needs it: the body exactly as it was
 * recorded going upstream, and where a snippet sends it (variable names, a URL only when public).
 * Its owner's only, 404 to anyone else or when nothing was recorded.
 */
export const GET = route(
  "exchange.request",
  async function GET(_request: Request, { params }: Context): Promise<Response> {
    const { id, messageId } = await params;
    const ownerId = await requireOwner();
    const exchange = await getExchange({ ownerId, conversationId: id, messageId });
    const body = exchange?.request.body;
    if (!exchange || !body || typeof body !== "object" || Array.isArray(body)) {
      throw new ThinkpaneError("not_found");
    }
    return Response.json(
      { body, target: codeTargetOfRecorded(exchange.model.id, exchange.provider) },
      { headers: { "cache-control": "private, no-store" } },
    );
  },
);
