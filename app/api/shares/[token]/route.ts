import { requireOwner } from "@/lib/auth/owner";
import { revokeShare } from "@/lib/db/shares";
import { ThinkpaneError } from "@/lib/errors";
import { toErrorResponse } from "@/lib/http";
import { withRequest } from "@/lib/request-context";

export const dynamic = "force-dynamic";

/** Revokes a link; from then on it answers 404. */
export const DELETE = withRequest(async function DELETE(
  _request: Request,
  { params }: { params: Promise<{ token: string }> },
): Promise<Response> {
  try {
    const { token } = await params;
    const ownerId = await requireOwner();
    if (!(await revokeShare({ token, ownerId }))) throw new ThinkpaneError("not_found");
    return new Response(null, { status: 204 });
  } catch (error) {
    return toErrorResponse(error, { event: "shares.revoke" });
  }
});
