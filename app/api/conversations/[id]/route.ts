import { z } from "zod";
import { requireOwner } from "@/lib/auth/owner";
import { deleteConversation, renameConversation } from "@/lib/db/conversations";
import { ThinkpaneError } from "@/lib/errors";
import { generationBus } from "@/lib/generation";
import { turnKey } from "@/lib/generation/key";
import { invalidBody, readJsonBody, route } from "@/lib/http";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const renameSchema = z.object({ title: z.string().trim().min(1).max(200) }).strict();

export const PATCH = route(
  "conversations.rename",
  async function PATCH(request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    const parsed = renameSchema.safeParse(await readJsonBody(request, 10_000));
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    if (!(await renameConversation({ id, ownerId, title: parsed.data.title })))
      throw new ThinkpaneError("not_found");
    return Response.json({ id, title: parsed.data.title });
  },
);

export const DELETE = route(
  "conversations.delete",
  async function DELETE(_request: Request, { params }: Context): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    if (!(await deleteConversation({ id, ownerId }))) throw new ThinkpaneError("not_found");
    // Its running turn, if any, stops: it would spend tokens on an answer nobody can see.
    await generationBus().requestStop(turnKey({ ownerId, conversationId: id }));
    return new Response(null, { status: 204 });
  },
);
