import { readOwner } from "@/lib/auth/owner";
import { listConversations } from "@/lib/db/conversations";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The caller's conversations, newest first; `?q=` filters by title. */
export const GET = route(
  "conversations.list",
  async function GET(request: Request): Promise<Response> {
    const ownerId = await readOwner();
    if (!ownerId) return Response.json({ conversations: [] });
    const query = new URL(request.url).searchParams.get("q")?.slice(0, 200) ?? undefined;
    const rows = await listConversations({ ownerId, query });
    const conversations = rows.map((c) => ({
      id: c.id,
      title: c.title,
      updatedAt: c.updatedAt.toISOString(),
    }));
    return Response.json({ conversations }, { headers: { "cache-control": "no-store" } });
  },
);
