import { tag } from "@/e2e/fake-upstream/client";
import { PEER_HEADER } from "@/lib/auth/client-address";
import { uniqueId } from "./db";

/**
 * POST /api/chat as a browser sends it, from `address` as the server stamps it from the socket
 * (lib/security/peer.ts). A string body goes as it is (for malformed-body tests).
 */
export function chatRequest(
  body: unknown,
  init: { address?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Request {
  return new Request("http://localhost/api/chat", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(init.address ? { [PEER_HEADER]: init.address } : {}),
      ...init.headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

/** A new question for the fake upstream's scenario `key` (the default scenario without one). */
export function submitBody(
  conversationId: string,
  text: string,
  options: { key?: string; settings?: unknown; messageId?: string } = {},
) {
  return {
    conversationId,
    trigger: "submit-message",
    message: {
      id: options.messageId ?? uniqueId("u"),
      text: options.key ? `${tag(options.key)} ${text}` : text,
    },
    settings: options.settings ?? { model: "openai/gpt-oss-120b", params: {} },
  };
}
