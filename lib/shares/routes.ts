import "server-only";
import { requestAddress } from "@/lib/auth/request-address";
import { requireOwner } from "@/lib/auth/owner";
import { type ShareOptions, shareOptionsSchema } from "@/lib/conversations/portable";
import type { ShareRow } from "@/lib/db/shares";
import { invalidBody, readJsonBody } from "@/lib/http";
import { admitCopy } from "@/lib/limits/copies";
import { publicShare } from "./public";

/**
 * The two share routes of whatever can be shared (a conversation, a comparison): the owner's
 * links, and a new snapshot link with the share options, counted as a copy by the limits.
 */

/** GET: the signed-in owner's links, as the browser may see them. */
export async function listSharesResponse(
  list: (ownerId: string) => Promise<ShareRow[]>,
): Promise<Response> {
  const shares = await list(await requireOwner());
  return Response.json(
    { shares: shares.map(publicShare) },
    { headers: { "cache-control": "no-store" } },
  );
}

/** POST: a new link from the request's options; 400 naming the field when they are invalid. */
export async function createShareResponse(
  request: Request,
  create: (ownerId: string, options: ShareOptions) => Promise<ShareRow>,
): Promise<Response> {
  const ownerId = await requireOwner();
  const parsed = shareOptionsSchema.safeParse(await readJsonBody(request, 10_000));
  if (!parsed.success) throw invalidBody(parsed.error.issues);
  await admitCopy({ action: "share", ownerId, address: requestAddress(request) });
  const share = await create(ownerId, parsed.data);
  return Response.json({ share: publicShare(share) }, { status: 201 });
}
