import "server-only";
import type { CodeTarget, RequestBody } from "@/lib/code/types";
import { getConversationOrTaken } from "@/lib/db/conversations";
import { ThinkpaneError } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import { codeTargetOf, resolveModel } from "@/lib/upstream/registry";
import { requestBodyOf } from "@/lib/upstream/request-body";
import { planTurn } from "./service";

/** What the composer would send: shown in View code when it is empty. */
export const EMPTY_COMPOSER_TEXT = "Hello";

export type PreviewInput = {
  ownerId: string;
  settings: Settings;
  /** The conversation the next Send goes to; absent or not yet saved: a new conversation. */
  conversationId?: string;
  /** The text in the composer. */
  text?: string;
  stream: boolean;
};

/**
 * The body the next Send would make, without sending it: the history planned exactly as a new
 * message's turn plans it (same load, same ownership rule, same reasoning policy), then the dry
 * run of the provider call. No claim, no limits: nothing goes upstream.
 */
export async function previewTurn(
  input: PreviewInput,
): Promise<{ body: RequestBody; target: CodeTarget }> {
  const model = resolveModel(input.settings.model);
  const found = input.conversationId
    ? await getConversationOrTaken({ id: input.conversationId, ownerId: input.ownerId })
    : undefined;
  if (found === "taken") throw new ThinkpaneError("not_found");
  const text = input.text?.trim() ? input.text : EMPTY_COMPOSER_TEXT;
  const { history } = planTurn(
    {
      trigger: "submit-message",
      conversationId: input.conversationId ?? "preview",
      ownerId: input.ownerId,
      settings: input.settings,
      message: { id: "preview", text },
    },
    found,
  );
  const body = await requestBodyOf({
    model,
    settings: input.settings,
    messages: history,
    stream: input.stream,
  });
  return { body, target: codeTargetOf(model) };
}
