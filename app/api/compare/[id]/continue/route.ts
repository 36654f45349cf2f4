import { requestAddress } from "@/lib/auth/request-address";
import { requireOwner } from "@/lib/auth/owner";
import { continueColumn } from "@/lib/compare/copies";
import { continueSchema } from "@/lib/compare/portable";
import { invalidBody, readJsonBody, route } from "@/lib/http";
import { admitCopy } from "@/lib/limits/copies";

export const dynamic = "force-dynamic";

/** Continue in playground: a new conversation with a column's settings, the prompt and its answer. */
export const POST = route(
  "compare.continue",
  async function POST(
    request: Request,
    { params }: { params: Promise<{ id: string }> },
  ): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    const parsed = continueSchema.safeParse(await readJsonBody(request, 1_000));
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    await admitCopy({ action: "fork", ownerId, address: requestAddress(request) });
    const conversationId = await continueColumn({ id, ownerId, ...parsed.data });
    return Response.json({ conversationId }, { status: 201 });
  },
);
