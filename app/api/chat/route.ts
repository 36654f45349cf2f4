import { createUIMessageStreamResponse } from "ai";
import { ensureOwner } from "@/lib/auth/owner";
import { startTurn } from "@/lib/chat/service";
import { env } from "@/lib/env";
import { invalidBody, readJsonBody, toErrorResponse } from "@/lib/http";
import { chatRequestSchema } from "./schema";
import { currentRequestId, withRequest } from "@/lib/request-context";

export const dynamic = "force-dynamic";

export const POST = withRequest(async function POST(request: Request): Promise<Response> {
  try {
    const body = await readJsonBody(request, env().MAX_REQUEST_BYTES);
    const parsed = chatRequestSchema.safeParse(body);
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    const ownerId = await ensureOwner(request);
    const stream = await startTurn({ ...parsed.data, ownerId, requestId: currentRequestId()! });
    return createUIMessageStreamResponse({ stream, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error, { event: "chat" });
  }
});
