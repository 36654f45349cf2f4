import "server-only";
import { convertToModelMessages, jsonSchema, type ModelMessage, type streamText } from "ai";
import { toWireParams, type Settings } from "@/lib/params";
import { enabledTools } from "@/lib/tools/schema";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { withoutPartMetadata } from "./history";
import { PROVIDER_OPTIONS_KEY } from "./provider";
import { applyReasoningPolicy } from "./reasoning-policy";

type CallOptions = Parameters<typeof streamText>[0];
type ProviderOptions = NonNullable<CallOptions["providerOptions"]>;

export type ChatCall = {
  system: string | undefined;
  messages: ModelMessage[];
  providerOptions: ProviderOptions;
  tools?: CallOptions["tools"];
  toolChoice?: CallOptions["toolChoice"];
};

/**
 * The arguments of the provider call for a turn: the system prompt, the history as it goes
 * upstream (reasoning policy applied, part metadata stripped), the parameters and the tools.
 * streamChat sends them; the dry run (request-body.ts) captures the body they make. One path,
 * so the body that View code prints is the body the proxy sends.
 */
export async function chatCallOf({
  settings,
  messages,
}: {
  settings: Settings;
  messages: readonly ThinkpaneUIMessage[];
}): Promise<ChatCall> {
  const { params } = settings;
  const history = applyReasoningPolicy(withoutPartMetadata(messages), {
    keepToolLoopReasoning: params.reasoning_in_tool_loops !== false,
  });
  const tools = toolsOf(settings);
  return {
    system: settings.system?.trim() ? settings.system : undefined,
    messages: await convertToModelMessages(history, {
      // A call left without a result (the person asked something else instead) is not sent:
      // a tool call without its tool message is refused by most servers.
      ignoreIncompleteToolCalls: true,
    }),
    providerOptions: {
      [PROVIDER_OPTIONS_KEY]: toWireParams(params) as Record<string, never>,
    },
    ...(tools
      ? { tools, toolChoice: toolChoiceOf(settings, messages.at(-1)?.role === "assistant") }
      : {}),
  };
}

/**
 * The enabled functions as the AI SDK's tools without `execute`: the SDK streams each call and
 * ends the step there; the person (or a mock) answers it. Dynamic, because their names are data.
 */
function toolsOf(settings: Settings): CallOptions["tools"] | undefined {
  const tools = enabledTools(settings.params.tools);
  if (tools.length === 0) return undefined;
  return Object.fromEntries(
    tools.map((tool) => [
      tool.name,
      {
        type: "dynamic" as const,
        ...(tool.description ? { description: tool.description } : {}),
        inputSchema: jsonSchema(tool.parameters),
      },
    ]),
  );
}

/**
 * `tool_choice` as the SDK's. A choice that forces a call ("required", or one named function)
 * holds for the turn's first request only: a request that carries results back (the history ends
 * with the answer's own calls) asks with "auto", or every round would have to call again and the
 * loop could never end in an answer. OpenAI's Agents SDK resets it the same way
 * (`reset_tool_choice`).
 */
function toolChoiceOf(settings: Settings, carriesResults: boolean): CallOptions["toolChoice"] {
  const choice = settings.params.tool_choice;
  if (choice === undefined) return undefined;
  if (carriesResults && choice !== "auto" && choice !== "none") return "auto";
  return typeof choice === "string" ? choice : { type: "tool", toolName: choice.function.name };
}
