import { ensureOwner } from "@/lib/auth/owner";
import { previewTurn } from "@/lib/chat/preview";
import { env } from "@/lib/env";
import { invalidBody, readJsonBody, route } from "@/lib/http";
import { previewRequestSchema } from "./schema";

export const dynamic = "force-dynamic";

/** The body the next Send would send upstream, and where to: for View code. Sends nothing. */
export const POST = route("chat.preview", async function POST(request: Request) {
  const body = await readJsonBody(request, env().MAX_REQUEST_BYTES);
  const parsed = previewRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidBody(parsed.error.issues);
  const ownerId = await ensureOwner(request);
  return Response.json(await previewTurn({ ...parsed.data, ownerId }), {
    headers: { "cache-control": "no-store" },
  });
});
