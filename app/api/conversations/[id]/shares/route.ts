import { conversationShares, shareConversation } from "@/lib/conversations/service";
import { route } from "@/lib/http";
import { type PublicShare } from "@/lib/shares/public";
import { createShareResponse, listSharesResponse } from "@/lib/shares/routes";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export type { PublicShare };

export const GET = route(
  "shares.list",
  async function GET(_request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    return listSharesResponse((ownerId) => conversationShares({ id, ownerId }));
  },
);

/** Creates a snapshot link: frozen now; later messages do not appear. */
export const POST = route(
  "shares.create",
  async function POST(request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    return createShareResponse(request, (ownerId, options) =>
      shareConversation({ id, ownerId, options }),
    );
  },
);
