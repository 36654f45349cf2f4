import { ensureOwner } from "@/lib/auth/owner";
import { budgetAddress } from "@/lib/auth/request-address";
import { startTurn } from "@/lib/chat/service";
import { uiMessageStreamResponse } from "@/lib/chat/sse";
import { env } from "@/lib/env";
import { invalidBody, readJsonBody, route } from "@/lib/http";
import { chatRequestSchema } from "./schema";

export const dynamic = "force-dynamic";

export const POST = route("chat", async function POST(request: Request): Promise<Response> {
  const body = await readJsonBody(request, env().MAX_REQUEST_BYTES);
  const parsed = chatRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidBody(parsed.error.issues);
  const ownerId = await ensureOwner(request);
  const stream = await startTurn({ ...parsed.data, ownerId, address: budgetAddress(request) });
  return uiMessageStreamResponse(stream);
});
