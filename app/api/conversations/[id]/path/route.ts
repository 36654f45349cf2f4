import { z } from "zod";
import { idSchema } from "@/app/api/chat/schema";
import { requireOwner } from "@/lib/auth/owner";
import { chooseVersion, conversationPath } from "@/lib/conversations/versions";
import { invalidBody, readJsonBody, route } from "@/lib/http";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const chooseSchema = z.object({ messageId: idSchema }).strict();

/** The path shown, with each message's versions (the switcher's counts after a turn). */
export const GET = route(
  "conversations.path",
  async function GET(_request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    return Response.json(await conversationPath({ id, ownerId }));
  },
);

/** Shows another version of a turn; returns the new path shown. */
export const POST = route(
  "conversations.choose_version",
  async function POST(request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    const parsed = chooseSchema.safeParse(await readJsonBody(request, 10_000));
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    return Response.json(await chooseVersion({ id, ownerId, messageId: parsed.data.messageId }));
  },
);
