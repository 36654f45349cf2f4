import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";
import { invalidBody, readJsonBody } from "@/lib/http";
import { log } from "@/lib/log";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { streamChat } from "@/lib/upstream/chat";
import { resolveModel } from "@/lib/upstream/registry";
import { chatRequestSchema } from "./schema";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const requestId = randomUUID();
  try {
    const body = await readJsonBody(request, env().MAX_REQUEST_BYTES);
    const parsed = chatRequestSchema.safeParse(body);
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    const { settings, messages } = parsed.data;

    const model = resolveModel(settings.model);
    return await streamChat({
      model,
      settings,
      messages: messages as ThinkpaneUIMessage[],
      abortSignal: request.signal,
      requestId,
    });
  } catch (error) {
    if (ThinkpaneError.is(error)) {
      log.warn("chat.rejected", { requestId, code: error.code, field: error.details.field });
      return error.toResponse();
    }
    log.error("chat.failed", {
      requestId,
      message: error instanceof Error ? error.message : String(error),
    });
    return new ThinkpaneError("internal:unexpected").toResponse();
  }
}
