import { requireOwner } from "@/lib/auth/owner";
import { revokeShare } from "@/lib/db/shares";
import { ThinkpaneError } from "@/lib/errors";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Revokes a link; from then on it answers 404. */
export const DELETE = route(
  "shares.revoke",
  async function DELETE(
    _request: Request,
    { params }: { params: Promise<{ token: string }> },
  ): Promise<Response> {
    const { token } = await params;
    const ownerId = await requireOwner();
    if (!(await revokeShare({ token, ownerId }))) throw new ThinkpaneError("not_found");
    return new Response(null, { status: 204 });
  },
);
