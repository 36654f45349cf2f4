import "server-only";
import { convertToModelMessages, type ModelMessage, type streamText } from "ai";
import { toWireParams, type Settings } from "@/lib/params";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { withoutPartMetadata } from "./history";
import { PROVIDER_OPTIONS_KEY } from "./provider";
import { applyReasoningPolicy } from "./reasoning-policy";

type ProviderOptions = NonNullable<Parameters<typeof streamText>[0]["providerOptions"]>;

export type ChatCall = {
  system: string | undefined;
  messages: ModelMessage[];
  providerOptions: ProviderOptions;
};

/**
 * The arguments of the provider call for a turn: the system prompt, the history as it goes
 * upstream (reasoning policy applied, part metadata stripped) and the parameters. streamChat
 * sends them; the dry run (request-body.ts) captures the body they make. One path, so the body
 * that View code prints is the body the proxy sends.
 */
export async function chatCallOf({
  settings,
  messages,
}: {
  settings: Settings;
  messages: readonly ThinkpaneUIMessage[];
}): Promise<ChatCall> {
  return {
    system: settings.system?.trim() ? settings.system : undefined,
    messages: await convertToModelMessages(applyReasoningPolicy(withoutPartMetadata(messages))),
    providerOptions: {
      [PROVIDER_OPTIONS_KEY]: toWireParams(settings.params) as Record<string, never>,
    },
  };
}
