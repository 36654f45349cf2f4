import { budgetAddress } from "@/lib/auth/request-address";
import { requireOwner } from "@/lib/auth/owner";
import { uiMessageStreamResponse } from "@/lib/chat/sse";
import { columnRunSchema } from "@/lib/compare/schema";
import { startColumnRun } from "@/lib/compare/service";
import { invalidBody, readJsonBody, route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Starts one answer of one column and streams it like /api/chat. */
export const POST = route(
  "compare.run",
  async function POST(
    request: Request,
    { params }: { params: Promise<{ id: string }> },
  ): Promise<Response> {
    const { id } = await params;
    const parsed = columnRunSchema.safeParse(await readJsonBody(request, 1_000));
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    const ownerId = await requireOwner();
    const stream = await startColumnRun({
      ...parsed.data,
      comparisonId: id,
      ownerId,
      address: budgetAddress(request),
    });
    return uiMessageStreamResponse(stream);
  },
);
