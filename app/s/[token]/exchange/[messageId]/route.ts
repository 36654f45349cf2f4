import { getSharedExchange } from "@/lib/db/exchanges";
import { ThinkpaneError } from "@/lib/errors";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ token: string; messageId: string }> };

/**
 * A shared turn's raw exchange, as JSON: only when the owner ticked "Include raw exchange" and
 * the link is active; 404 otherwise (the same answer whichever the reason).
 */
export const GET = route(
  "share.exchange",
  async function GET(_request: Request, { params }: Context): Promise<Response> {
    const { token, messageId } = await params;
    if (token.length > 100 || messageId.length > 100) throw new ThinkpaneError("not_found");
    const exchange = await getSharedExchange({ token, messageId });
    if (!exchange) throw new ThinkpaneError("not_found");
    return Response.json({ exchange }, { headers: { "cache-control": "private, no-store" } });
  },
);
